package flowrun

import (
	"testing"
	"time"
)

// TestCheckHoursUsesTheClock moves a virtual clock across closing time.
func TestCheckHoursUsesTheClock(t *testing.T) {
	content := doc("h",
		`{"Identifier":"h","Type":"CheckHoursOfOperation","Parameters":{"HoursOfOperationId":"$.Attributes.hours"},"Transitions":{"Errors":[{"NextAction":"err","ErrorType":"NoMatchingError"}],"Conditions":[`+
			cond("yes", "Equals", "True")+","+cond("no", "Equals", "False")+`]}}`,
		end("yes"), end("no"), end("err"))
	in, clk := newInterp(time.Date(2024, 1, 8, 16, 59, 0, 0, time.UTC)) // 17:59 in Paris
	for _, want := range []string{"yes", "no"} {
		env := newFake()
		env.cd.Attributes["hours"] = "arn:aws:connect:eu-west-3:1:instance/i/operating-hours/paris"
		env.hours["paris"] = Hours{TimeZone: "Europe/Paris", Config: []HoursInterval{{Day: "MONDAY", StartHours: 9, EndHours: 18}}}
		runFlow(t, env, in, content)
		if env.reached() != want {
			t.Errorf("at %v reached %s, want %s", clk.Now(), env.reached(), want)
		}
		clk.Advance(time.Minute)
	}
}
