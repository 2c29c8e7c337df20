package judging

// Role is what a caller may do; every route names the roles it admits.
type Role string

// The roles of the contract. The zero Role is the public: no token.
const (
	RoleAdmin     Role = "admin"
	RoleJudge     Role = "judge"
	RoleExhibitor Role = "exhibitor"
	RoleScreen    Role = "screen" // a ceremony display
	RoleVoter     Role = "voter"  // an audience member, by show badge
)

// Valid reports whether r is one of the roles of the contract.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleJudge, RoleExhibitor, RoleScreen, RoleVoter:
		return true
	}
	return false
}

// Actor is who makes a call: a user id and that user's role, or the public (zero value).
type Actor struct {
	ID   string
	Role Role
}

// Public reports whether the caller presented no credentials.
func (a Actor) Public() bool { return a.ID == "" }

// Is reports whether the actor holds role r.
func (a Actor) Is(r Role) bool { return a.ID != "" && a.Role == r }
