package judgingtest

import (
	"time"

	"github.com/awards-dev/awards/judging"
)

// T0 is when every rig's clock starts: submissions and judging are open.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// The categories of Programme.
const (
	CatCyber  = "cyber-security"  // mean; innovation 0–10 ×3, impact 1–5 ×1
	CatDrones = "drones-robotics" // trimmed_mean; design 0–100 ×1, safety 1–5 ×1
	CatCSR    = "csr"             // mean; commitment 1–5 ×2
)

// Programme is the programme every rig starts from: three categories, one of them
// "trimmed_mean", criteria of different weights and ranges; submissions close a day after T0,
// judging two days after, the ceremony three.
func Programme() judging.Programme {
	return judging.Programme{
		Name:             "Test Innovation Awards 2026",
		Timezone:         "Europe/Paris",
		SubmissionsClose: T0.Add(24 * time.Hour),
		JudgingClose:     T0.Add(48 * time.Hour),
		CeremonyAt:       T0.Add(72 * time.Hour),
		Categories: []judging.Category{
			{ID: CatCyber, Name: "Cyber security", Description: "Protecting systems.", Tally: judging.TallyMean, Criteria: []judging.Criterion{
				{ID: "innovation", Name: "Innovation", Weight: 3, Min: 0, Max: 10},
				{ID: "impact", Name: "Impact", Weight: 1, Min: 1, Max: 5},
			}},
			{ID: CatDrones, Name: "Drone / counter-drone systems and robotics", Tally: judging.TallyTrimmedMean, Criteria: []judging.Criterion{
				{ID: "design", Name: "Design", Weight: 1, Min: 0, Max: 100},
				{ID: "safety", Name: "Safety", Weight: 1, Min: 1, Max: 5},
			}},
			{ID: CatCSR, Name: "Corporate social responsibility", Tally: judging.TallyMean, Criteria: []judging.Criterion{
				{ID: "commitment", Name: "Commitment", Weight: 2, Min: 1, Max: 5},
			}},
		},
	}
}

// Cyber returns marks for CatCyber.
func Cyber(innovation, impact float64) judging.ScoreInput {
	return judging.ScoreInput{Scores: map[string]float64{"innovation": innovation, "impact": impact}}
}

// Drones returns marks for CatDrones.
func Drones(design, safety float64) judging.ScoreInput {
	return judging.ScoreInput{Scores: map[string]float64{"design": design, "safety": safety}}
}
