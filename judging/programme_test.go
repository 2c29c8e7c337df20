package judging

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func validProgramme() Programme {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return Programme{
		Name: "Awards", Timezone: "Europe/Paris", SubmissionsClose: t0, JudgingClose: t0.Add(time.Hour), CeremonyAt: t0.Add(2 * time.Hour),
		Categories: []Category{{ID: "cyber", Name: "Cyber", Description: "One\r\ntwo", Criteria: []Criterion{
			{ID: "merit", Name: "Merit", Weight: 1, Min: 0, Max: 10},
		}}},
	}
}

func TestProgramme_Validate(t *testing.T) {
	crit := func(f func(k *Criterion)) func(p *Programme) {
		return func(p *Programme) { f(&p.Categories[0].Criteria[0]) }
	}
	for _, tc := range []struct {
		name   string
		change func(p *Programme)
		field  string // "" when the programme is valid
	}{
		{"a valid programme passes", func(*Programme) {}, ""},
		{"A criterion needs finite min < max: min -1.7e308 and max 1.7e308 are refused", crit(func(k *Criterion) { k.Min, k.Max = -1.7e308, 1.7e308 }), "criteria[0].min"},
		{"|max| ≤ 1e6", crit(func(k *Criterion) { k.Max = 1e6 * (1 + 1e-15) }), "criteria[0].max"},
		{"|min| ≤ 1e6", crit(func(k *Criterion) { k.Min = -1e7 }), "criteria[0].min"},
		{"min and max of exactly ±1e6 are fine", crit(func(k *Criterion) { k.Min, k.Max = -1e6, 1e6 }), ""},
		{"an infinite max is refused", crit(func(k *Criterion) { k.Max = math.Inf(1) }), "criteria[0].max"},
		{"a NaN min is refused", crit(func(k *Criterion) { k.Min = math.NaN() }), "criteria[0].min"},
		{"min < max: equal is refused", crit(func(k *Criterion) { k.Min, k.Max = 5, 5 }), "criteria[0].min"},
		{"0 < weight: zero is refused", crit(func(k *Criterion) { k.Weight = 0 }), "criteria[0].weight"},
		{"0 < weight: negative is refused", crit(func(k *Criterion) { k.Weight = -1 }), "criteria[0].weight"},
		{"weight ≤ 1000: 1000 is fine", crit(func(k *Criterion) { k.Weight = 1000 }), ""},
		{"weight ≤ 1000: above is refused", crit(func(k *Criterion) { k.Weight = 1000.000001 }), "criteria[0].weight"},
		{"a NaN weight is refused", crit(func(k *Criterion) { k.Weight = math.NaN() }), "criteria[0].weight"},
		{"a control character in the name is refused", func(p *Programme) { p.Name = "Awards\x00" }, "name"},
		{"a timezone over 64 characters is refused", func(p *Programme) { p.Timezone = strings.Repeat("z", 65) }, "timezone"},
		{"a newline in a category name is refused", func(p *Programme) { p.Categories[0].Name = "Cyber\nsecurity" }, "categories[0].name"},
		{"a NUL in a category description is refused", func(p *Programme) { p.Categories[0].Description = "x\x00" }, "categories[0].description"},
		{"a criterion name over 200 characters is refused", crit(func(k *Criterion) { k.Name = strings.Repeat("n", 201) }), "criteria[0].name"},
		{"at most 50 criteria", func(p *Programme) {
			c := &p.Categories[0]
			for i := range 50 {
				k := c.Criteria[0]
				k.ID = "k" + strings.Repeat("x", i+1)
				c.Criteria = append(c.Criteria, k)
			}
		}, "categories[0].criteria"},
		{"at most 100 categories", func(p *Programme) {
			for i := range 100 {
				c := p.Categories[0]
				c.ID = "c" + strings.Repeat("x", i%60+1) + strings.Repeat("y", i/60+1)
				p.Categories = append(p.Categories, c)
			}
		}, "categories"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validProgramme()
			tc.change(&p)
			err := p.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalid || e.Code != "invalid_programme" {
				t.Fatalf("Validate = %v, want 422 invalid_programme", err)
			}
			if !strings.Contains(e.Message, tc.field) {
				t.Fatalf("message %q does not name %s", e.Message, tc.field)
			}
		})
	}
	t.Run("CRLF in a category description becomes LF", func(t *testing.T) {
		p := validProgramme()
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if got, want := p.Categories[0].Description, "One\ntwo"; got != want {
			t.Fatalf("description = %q, want %q", got, want)
		}
	})
}

func TestWeightedTotal_boundedProgramme(t *testing.T) {
	// Within the programme rules every weighted total is finite, at the extremes too.
	for _, k := range []Criterion{
		{ID: "a", Weight: 1000, Min: -1e6, Max: 1e6},
		{ID: "b", Weight: math.SmallestNonzeroFloat64, Min: -1e6, Max: -1e6 + 1e-9},
		{ID: "c", Weight: 1000, Min: 1e6 - 1e-9, Max: 1e6},
	} {
		for _, v := range []float64{k.Min, k.Max, (k.Min + k.Max) / 2} {
			if got := WeightedTotal([]Criterion{k}, map[string]float64{k.ID: v}); !finite(got) || got < 0 || got > 100 {
				t.Errorf("WeightedTotal(%+v, %v) = %v, want a number in [0, 100]", k, v, got)
			}
		}
	}
}
