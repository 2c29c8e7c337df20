package web

import (
	"net/http"
	"slices"
	"testing"
)

func TestConflicts_Lookalikes_HTTP(t *testing.T) {
	// Emails and company names are compared after NFKC normalisation, case folding, removal of
	// invisible characters and collapsing of spaces; confusable look-alikes count as the same.
	// This applies to conflicts: POST /assignments → 409, and auto-assignment never pairs them.
	ts := newTestServer(t)
	argonce := ts.judge(t, []string{"ARGONCE CYBER"}, catCyber)
	fur := ts.judge(t, []string{"FÜR SICHERHEIT"}, catCyber)
	neutral := ts.judge(t, []string{"Neutral Partners"}, catCyber)

	cases := []struct {
		name    string
		company string
		judge   testUser
	}{
		{"a zero-width space after the name", "Argonce Cyber\u200b", argonce},
		{"a zero-width joiner inside the name", "Argon\u200dce Cyber", argonce},
		{"NFD ü", "fu\u0308r Sicherheit", fur},
		{"fullwidth letters", "ＡＲＧＯＮＣＥ ＣＹＢＥＲ", argonce},
		{"a Cyrillic capital А", "\u0410rgonce Cyber", argonce},
		{"a Cyrillic small а and a non-breaking space", "\u0430rgonce\u00a0Cyber", argonce},
	}
	entries := map[string]string{} // entry id → the judge it must never get
	for _, c := range cases {
		t.Run("ErrConflictOfInterest/"+c.name, func(t *testing.T) {
			x := ts.exhibitor(t, c.company)
			e := ts.submitted(t, x, catCyber, "Entry of "+c.name)
			entries[e] = c.judge.ID
			ts.wantError(t, http.StatusConflict, "conflict_of_interest", "POST", "/api/v1/assignments", ts.admin,
				map[string]string{"judge_id": c.judge.ID, "entry_id": e})
		})
	}

	t.Run("ErrInvalid a NUL in the company is refused at registration", func(t *testing.T) {
		// Control characters → 422: the company with an embedded NUL never gets an account.
		ts.wantError(t, http.StatusUnprocessableEntity, "invalid_text", "POST", "/api/v1/auth/register", "", map[string]any{
			"email": "nul" + ts.uniq() + "@awards.test", "password": password, "company": "Argonce\x00 Cyber", "country": "FR",
		})
	})

	t.Run("OK a different company is no conflict", func(t *testing.T) {
		// Genuinely different names still differ.
		x := ts.exhibitor(t, "Argonce Cyber Labs")
		e := ts.submitted(t, x, catCyber, "Labs entry")
		ts.assign(t, argonce, e)
	})

	t.Run("OK auto-assignment never pairs a look-alike", func(t *testing.T) {
		// POST /assignments/auto: never a judge whose affiliations match the entry's company.
		ts.must(t, http.StatusOK, "POST", "/api/v1/assignments/auto", ts.admin, map[string]int{"judges_per_entry": 3})
		for _, j := range []testUser{argonce, fur, neutral} {
			got := ts.listIDs(t, "/api/v1/entries", j.Token)
			for e, never := range entries {
				if never == j.ID && slices.Contains(got, e) {
					t.Errorf("judge %s was assigned the look-alike entry %s", j.ID, e)
				}
			}
		}
		if got := ts.listIDs(t, "/api/v1/entries", neutral.Token); len(got) < len(entries) {
			t.Fatalf("the neutral judge got %d entries, want all %d look-alike entries", len(got), len(entries))
		}
	})
}

func TestRegister_LookalikeEmail_HTTP(t *testing.T) {
	// Duplicate email → 409, where look-alikes of an existing email count as duplicates.
	ts := newTestServer(t)
	reg := func(email string) map[string]any {
		return map[string]any{"email": email, "password": password, "company": "Look Alike", "country": "FR"}
	}
	for _, c := range []struct{ name, email string }{
		{"the admin's email again", adminEmail},
		{"in capitals", "ADMIN@AWARDS.TEST"},
		{"with a zero-width space", adminEmail + "\u200b"},
		{"with a soft hyphen inside", "ad\u00admin@awards.test"},
		{"with a Cyrillic а", "\u0430dmin@awards.test"},
		{"with a Cyrillic а in the domain", "admin@\u0430wards.test"},
		{"in fullwidth letters", "ａｄｍｉｎ@awards.test"},
	} {
		t.Run("ErrEmailTaken/"+c.name, func(t *testing.T) {
			ts.wantError(t, http.StatusConflict, "email_taken", "POST", "/api/v1/auth/register", "", reg(c.email))
		})
	}

	t.Run("ErrEmailTaken a judge with a look-alike email", func(t *testing.T) {
		// The same rule holds for every account: POST /judges with a look-alike → 409.
		ts.wantError(t, http.StatusConflict, "email_taken", "POST", "/api/v1/judges", ts.admin, map[string]any{
			"name": "Fake Admin", "email": "\u0430dmin@awards.test", "categories": []string{catCyber},
		})
	})

	t.Run("ErrInvalid a control character in the email", func(t *testing.T) {
		// Control characters → 422.
		ts.wantError(t, http.StatusUnprocessableEntity, "", "POST", "/api/v1/auth/register", "", reg("admin@awards.test\x00"))
	})

	t.Run("OK an invisible character is dropped, and the account logs in without it", func(t *testing.T) {
		// An email is stored cleaned: invisible characters removed.
		ts.must(t, http.StatusCreated, "POST", "/api/v1/auth/register", "", reg("new\u200bcomer@awards.test"))
		ts.login(t, "newcomer@awards.test", password)
		ts.login(t, "new\u200bcomer@awards.test", password) // pasted again as it was registered
		ts.wantError(t, http.StatusConflict, "email_taken", "POST", "/api/v1/auth/register", "", reg("newcomer@awards.test"))
	})

	t.Run("OK a different email registers and the admin still logs in", func(t *testing.T) {
		ts.must(t, http.StatusCreated, "POST", "/api/v1/auth/register", "", reg("admin2@awards.test"))
		ts.login(t, adminEmail, password)
	})
}
