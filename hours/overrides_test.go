package hours

import (
	"slices"
	"testing"
	"time"
)

func date(s string) time.Time {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

// weekdays is a nine-to-five week, Monday to Friday.
var weekdays = func() []Interval {
	var out []Interval
	for _, d := range []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"} {
		out = append(out, Interval{Day: d, StartHours: 9, EndHours: 17})
	}
	return out
}()

func spans(pairs ...int) []Span {
	var out []Span
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, Span{pairs[i] * 60, pairs[i+1] * 60})
	}
	return out
}

func TestOverrides(t *testing.T) {
	all := func(day string) Interval { return Interval{Day: day} } // 00:00–00:00, the whole day
	cases := []struct {
		name      string
		overrides []Override
		date      string
		want      []Span
	}{
		{"no override", nil, "2025-12-24", spans(9, 17)},
		{"closed all Christmas Day", []Override{{Name: "xmas", Type: "CLOSED", From: "2025-12-25", Till: "2025-12-25", Config: []Interval{all("THURSDAY")}}},
			"2025-12-25", nil},
		{"closed only on its dates", []Override{{Name: "xmas", Type: "CLOSED", From: "2025-12-25", Till: "2025-12-25", Config: []Interval{all("THURSDAY")}}},
			"2025-12-18", spans(9, 17)},
		{"closed in the afternoon", []Override{{Type: "CLOSED", From: "2025-12-24", Till: "2025-12-24", Config: []Interval{{Day: "WEDNESDAY", StartHours: 13}}}},
			"2025-12-24", spans(9, 13)},
		{"open late", []Override{{Type: "OPEN", From: "2025-11-01", Till: "2025-11-30", Config: []Interval{{Day: "FRIDAY", StartHours: 17, EndHours: 21}}}},
			"2025-11-28", spans(9, 21)},
		{"open on a Saturday", []Override{{Type: "OPEN", From: "2025-11-29", Till: "2025-11-29", Config: []Interval{{Day: "SATURDAY", StartHours: 10, EndHours: 14}}}},
			"2025-11-29", spans(10, 14)},
		{"standard replaces the day and beats closed", []Override{
			{Type: "CLOSED", From: "2025-12-01", Till: "2025-12-31", Config: []Interval{all("MONDAY")}},
			{Name: "temp", Type: "STANDARD", From: "2025-12-22", Till: "2025-12-22", Config: []Interval{{Day: "MONDAY", StartHours: 11, EndHours: 15}}}},
			"2025-12-22", spans(11, 15)},
		{"an untyped override is standard", []Override{{From: "2025-12-22", Till: "2025-12-22", Config: []Interval{{Day: "MONDAY", StartHours: 8, EndHours: 10}}}},
			"2025-12-22", spans(8, 10)},
		{"last Friday of every month, closing at noon", []Override{{Type: "CLOSED", From: "2025-01-01", Till: "2026-12-31",
			Config: []Interval{{Day: "FRIDAY", StartHours: 12}}, Recurrence: &Recurrence{Frequency: "MONTHLY", Interval: 1, ByWeekdayOccurrence: []int{-1}}}},
			"2025-11-28", spans(9, 12)},
		{"not the Friday before", []Override{{Type: "CLOSED", From: "2025-01-01", Till: "2026-12-31",
			Config: []Interval{{Day: "FRIDAY", StartHours: 12}}, Recurrence: &Recurrence{Frequency: "MONTHLY", Interval: 1, ByWeekdayOccurrence: []int{-1}}}},
			"2025-11-21", spans(9, 17)},
		{"second Thursday of April every year", []Override{{Type: "CLOSED", From: "2025-01-01", Till: "2030-12-31",
			Config: []Interval{all("THURSDAY")}, Recurrence: &Recurrence{Frequency: "YEARLY", Interval: 1, ByMonth: []int{4}, ByWeekdayOccurrence: []int{2}}}},
			"2026-04-09", nil},
		{"the 15th every other month, any weekday", []Override{{Type: "CLOSED", From: "2025-01-15", Till: "2025-12-31",
			Config: []Interval{all("MONDAY")}, Recurrence: &Recurrence{Frequency: "MONTHLY", Interval: 2, ByMonthDay: []int{15}}}},
			"2025-03-14", spans(9, 17)},
		{"on the 15th of March", []Override{{Type: "CLOSED", From: "2025-01-15", Till: "2025-12-31",
			Config: []Interval{all("MONDAY")}, Recurrence: &Recurrence{Frequency: "MONTHLY", Interval: 2, ByMonthDay: []int{15}}}},
			"2025-09-15", nil},
		{"but not in an odd month", []Override{{Type: "CLOSED", From: "2025-01-15", Till: "2025-12-31",
			Config: []Interval{all("MONDAY")}, Recurrence: &Recurrence{Frequency: "MONTHLY", Interval: 2, ByMonthDay: []int{15}}}},
			"2025-12-15", spans(9, 17)},
		{"last day of the month", []Override{{Type: "CLOSED", From: "2025-01-01", Till: "2025-12-31",
			Config: []Interval{all("MONDAY")}, Recurrence: &Recurrence{Frequency: "MONTHLY", Interval: 1, ByMonthDay: []int{-1}}}},
			"2025-06-30", nil},
		{"every other week", []Override{{Type: "OPEN", From: "2025-11-03", Till: "2025-12-31",
			Config: []Interval{{Day: "SATURDAY", StartHours: 9, EndHours: 12}}, Recurrence: &Recurrence{Frequency: "WEEKLY", Interval: 2}}},
			"2025-11-22", spans(9, 12)},
		{"starting in the week of From", []Override{{Type: "OPEN", From: "2025-11-03", Till: "2025-12-31",
			Config: []Interval{{Day: "SATURDAY", StartHours: 9, EndHours: 12}}, Recurrence: &Recurrence{Frequency: "WEEKLY", Interval: 2}}},
			"2025-11-08", spans(9, 12)},
		{"and not the week between", []Override{{Type: "OPEN", From: "2025-11-03", Till: "2025-12-31",
			Config: []Interval{{Day: "SATURDAY", StartHours: 9, EndHours: 12}}, Recurrence: &Recurrence{Frequency: "WEEKLY", Interval: 2}}},
			"2025-11-15", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Schedule{TimeZone: "Europe/Dublin", Config: weekdays, Overrides: c.overrides}
			got, _, err := s.Day(date(c.date))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.date, got, c.want)
			}
		})
	}
}

// OpenAt honours overrides, in the schedule's zone, and Day reports the
// overrides that applied.
func TestOpenAtWithOverrides(t *testing.T) {
	s := Schedule{TimeZone: "America/New_York", Config: weekdays, Overrides: []Override{
		{Name: "Thanksgiving", Type: "CLOSED", From: "2025-11-27", Till: "2025-11-27", Config: []Interval{{Day: "THURSDAY"}}},
	}}
	ny, _ := time.LoadLocation("America/New_York")
	for at, want := range map[time.Time]bool{
		time.Date(2025, 11, 26, 10, 0, 0, 0, ny): true,
		time.Date(2025, 11, 27, 10, 0, 0, 0, ny): false,
		// 02:00 UTC on the 28th is still the 27th in New York.
		time.Date(2025, 11, 28, 2, 0, 0, 0, time.UTC): false,
		time.Date(2025, 11, 28, 10, 0, 0, 0, ny):      true,
	} {
		if got, err := s.OpenAt(at); err != nil || got != want {
			t.Errorf("OpenAt(%v) = %v, %v; want %v", at, got, err, want)
		}
	}
	_, applied, err := s.Day(date("2025-11-27"))
	if err != nil || len(applied) != 1 || applied[0].Name != "Thanksgiving" || applied[0].Status != "CLOSED" || applied[0].Span != (Span{0, 1440}) {
		t.Errorf("applied %+v, %v", applied, err)
	}
}

// The weekly schedule's overnight intervals spill into the next date.
func TestDaySpansOvernight(t *testing.T) {
	s := Schedule{TimeZone: "UTC", Config: []Interval{{Day: "FRIDAY", StartHours: 22, EndHours: 2}}}
	fri, _, _ := s.Day(date("2025-11-28"))
	sat, _, _ := s.Day(date("2025-11-29"))
	if !slices.Equal(fri, spans(22, 24)) || !slices.Equal(sat, spans(0, 2)) {
		t.Errorf("Friday %v, Saturday %v", fri, sat)
	}
}

func TestOverrideErrors(t *testing.T) {
	for name, o := range map[string]Override{
		"bad from":      {From: "2025-13-01", Till: "2025-12-01"},
		"bad type":      {Type: "MAYBE", From: "2025-01-01", Till: "2025-12-31", Config: []Interval{{Day: "MONDAY"}}},
		"bad frequency": {From: "2025-01-01", Till: "2025-12-31", Config: []Interval{{Day: "MONDAY"}}, Recurrence: &Recurrence{Frequency: "DAILY"}},
	} {
		s := Schedule{TimeZone: "UTC", Overrides: []Override{o}}
		if _, _, err := s.Day(date("2025-06-02")); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
