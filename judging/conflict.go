package judging

// CompanyKey canonicalises a company name for conflict checks: two names a person would read
// as the same company share a key (see foldKey), whatever their case, spacing, invisible
// characters or look-alike letters from other scripts.
func CompanyKey(s string) string { return foldKey(s) }

// Conflicted reports whether any affiliation names the company (after CompanyKey on both).
//
// A blank company or a blank affiliation names nobody, so it never conflicts.
func Conflicted(affiliations []string, company string) bool {
	c := CompanyKey(company)
	if c == "" {
		return false
	}
	for _, a := range affiliations {
		if CompanyKey(a) == c {
			return true
		}
	}
	return false
}
