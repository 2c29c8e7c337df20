package judging

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// User is an account: an admin, an exhibitor (with a company), a judge (with affiliations and
// categories) or a ceremony screen.
type User struct {
	ID           string    `json:"id"`
	Role         Role      `json:"role"`
	Email        string    `json:"email,omitempty"`
	PasswordHash string    `json:"-"`
	Name         string    `json:"name,omitempty"`
	Company      string    `json:"company,omitempty"`
	Country      string    `json:"country,omitempty"`
	Startup      bool      `json:"startup"`
	Affiliations []string  `json:"affiliations,omitempty"`
	Categories   []string  `json:"categories,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// MinPasswordLen is the shortest password accepted: 10 characters.
const MinPasswordLen = 10

// EmailKey canonicalises an email for "the same email": two addresses a person would read as
// the same (case, invisible characters, look-alike letters; see foldKey) share a key.
func EmailKey(email string) string { return foldKey(email) }

// Registration is what an exhibitor gives to create an account.
type Registration struct {
	Email    string
	Password string
	Company  string
	Country  string
	Startup  bool
}

// validEmail reports whether s (cleaned and checked by checkText) is one plain address.
func validEmail(s string) bool {
	if strings.ContainsAny(s, " <>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// checkEmail cleans an email (see CleanEmail) and checks it: present, no control characters,
// at most maxEmail characters, one plain address.
func checkEmail(email *string) error {
	*email = CleanEmail(*email)
	if *email == "" {
		return Invalidf("missing_field", "email is required")
	}
	if err := checkText("email", email, maxEmail, false); err != nil {
		return err
	}
	if !validEmail(*email) {
		return Invalidf("invalid_email", "email is not a valid address")
	}
	return nil
}

func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return Invalidf("weak_password", "password must be at least %d characters", MinPasswordLen)
	}
	if len(pw) > maxPasswordLen {
		return Invalidf("invalid_password", "password must be at most %d bytes", maxPasswordLen)
	}
	return checkText("password", &pw, maxPasswordLen, false)
}

// Validate checks a registration's fields and names the first that breaks a rule; it cleans
// the email and collapses the spaces of the company and the country.
func (r *Registration) Validate() error {
	if err := checkEmail(&r.Email); err != nil {
		return err
	}
	err := checkTexts(
		func() error { return checkText("company", &r.Company, maxName, false) },
		func() error { return checkText("country", &r.Country, maxCountry, false) },
	)
	if err != nil {
		return err
	}
	r.Company = strings.Join(strings.Fields(r.Company), " ")
	r.Country = strings.Join(strings.Fields(r.Country), " ")
	if len(r.Country) == 2 {
		r.Country = strings.ToUpper(r.Country) // an ISO 3166 code, the usual form
	}
	switch {
	case CompanyKey(r.Company) == "": // blank, or only invisible characters: it would conflict with nobody
		return Invalidf("missing_field", "company is required")
	case r.Country == "":
		return Invalidf("missing_field", "country is required")
	}
	return checkPassword(r.Password)
}

// JudgeInput is what an admin gives to invite a judge.
type JudgeInput struct {
	Name         string
	Email        string
	Affiliations []string
	Categories   []string
}

func (in *JudgeInput) validate(p *Programme) error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return Invalidf("missing_field", "name is required")
	}
	if err := checkText("name", &in.Name, maxName, false); err != nil {
		return err
	}
	if err := checkEmail(&in.Email); err != nil {
		return err
	}
	switch {
	case len(in.Affiliations) > maxAffiliations:
		return Invalidf("invalid_affiliations", "affiliations: at most %d", maxAffiliations)
	case len(in.Categories) == 0:
		return Invalidf("missing_field", "categories: at least one category is required")
	case len(in.Categories) > maxCategories:
		return Invalidf("invalid_categories", "categories: at most %d", maxCategories)
	}
	aff := make([]string, 0, len(in.Affiliations))
	for i, a := range in.Affiliations {
		if err := checkText(fmt.Sprintf("affiliations[%d]", i), &a, maxName, false); err != nil {
			return err
		}
		a = strings.Join(strings.Fields(a), " ")
		if CompanyKey(a) == "" {
			return Invalidf("invalid_affiliations", "affiliations: each must be a company name of 1 to %d characters", maxName)
		}
		aff = append(aff, a)
	}
	in.Affiliations = aff
	seen := map[string]bool{}
	cats := in.Categories[:0:0]
	for i, c := range in.Categories {
		if err := checkText(fmt.Sprintf("categories[%d]", i), &c, maxSlug, false); err != nil {
			return err
		}
		if _, ok := p.Category(c); !ok {
			return Invalidf("unknown_category", "categories: %q is not a category of the programme", c)
		}
		if !seen[c] {
			seen[c] = true
			cats = append(cats, c)
		}
	}
	in.Categories = cats
	return nil
}
