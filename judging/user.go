package judging

import (
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

// MinPasswordLen is the shortest password accepted (API.md: ≥ 10 chars).
const MinPasswordLen = 10

// EmailKey canonicalises an email for uniqueness: trimmed and lower-cased.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Registration is what an exhibitor gives to create an account.
type Registration struct {
	Email    string
	Password string
	Company  string
	Country  string
	Startup  bool
}

func validEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return Invalidf("weak_password", "password must be at least %d characters", MinPasswordLen)
	}
	if len(pw) > 1024 {
		return Invalidf("invalid_password", "password must be at most 1024 bytes")
	}
	return nil
}

// Validate checks a registration's fields and names the first that breaks a rule.
func (r *Registration) Validate() error {
	r.Email = strings.TrimSpace(r.Email)
	r.Company = strings.Join(strings.Fields(r.Company), " ")
	r.Country = strings.Join(strings.Fields(r.Country), " ")
	if len(r.Country) == 2 {
		r.Country = strings.ToUpper(r.Country) // an ISO 3166 code, the usual form
	}
	switch {
	case r.Email == "":
		return Invalidf("missing_field", "email is required")
	case !validEmail(r.Email):
		return Invalidf("invalid_email", "email is not a valid address")
	case r.Company == "":
		return Invalidf("missing_field", "company is required")
	case utf8.RuneCountInString(r.Company) > 200:
		return Invalidf("invalid_company", "company must be at most 200 characters")
	case r.Country == "":
		return Invalidf("missing_field", "country is required")
	case utf8.RuneCountInString(r.Country) > 64:
		return Invalidf("invalid_country", "country must be at most 64 characters (an ISO 3166 code such as FR is best)")
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
	in.Email = strings.TrimSpace(in.Email)
	switch {
	case in.Name == "":
		return Invalidf("missing_field", "name is required")
	case utf8.RuneCountInString(in.Name) > 200:
		return Invalidf("invalid_name", "name must be at most 200 characters")
	case in.Email == "":
		return Invalidf("missing_field", "email is required")
	case !validEmail(in.Email):
		return Invalidf("invalid_email", "email is not a valid address")
	case len(in.Affiliations) > 50:
		return Invalidf("invalid_affiliations", "affiliations: at most 50")
	case len(in.Categories) == 0:
		return Invalidf("missing_field", "categories: at least one category is required")
	}
	aff := make([]string, 0, len(in.Affiliations))
	for _, a := range in.Affiliations {
		a = strings.Join(strings.Fields(a), " ")
		if a == "" || utf8.RuneCountInString(a) > 200 {
			return Invalidf("invalid_affiliations", "affiliations: each must be a company name of 1 to 200 characters")
		}
		aff = append(aff, a)
	}
	in.Affiliations = aff
	seen := map[string]bool{}
	cats := in.Categories[:0:0]
	for _, c := range in.Categories {
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
