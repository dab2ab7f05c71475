// Package hours says when hours of operation are open: a weekly schedule
// in a time zone, changed on some dates by overrides. The flow interpreter
// asks it whether a contact's hours are open now (CheckHoursOfOperation);
// the domain asks it for the effective hours of a range of dates
// (GetEffectiveHoursOfOperations). It knows nothing of storage or the API.
//
// Everything is wall-clock time in the schedule's zone, so "09:00–17:00"
// means nine to five local time across a daylight-saving change, however
// many UTC hours that is.
package hours

import (
	"fmt"
	"slices"
	"time"
)

// Interval is one open interval of a weekly schedule, or one interval of an
// override on its day. End before Start runs past midnight into the next
// day (22:00–02:00); End equal to Start is 24 hours from Start, so
// 00:00–00:00 is the whole day. The end minute itself is closed.
type Interval struct {
	Day                                            string // MONDAY … SUNDAY
	StartHours, StartMinutes, EndHours, EndMinutes int
}

// Override changes the schedule on the dates it applies to.
type Override struct {
	Name string
	// Type is STANDARD (the override's intervals are the day's hours,
	// whatever else applies), OPEN (they are added to the day's hours) or
	// CLOSED (they are taken out of them). "" is STANDARD.
	Type string
	// From and Till bound the dates it applies to, both included, as
	// YYYY-MM-DD in the schedule's zone.
	From, Till string
	Config     []Interval
	// Recurrence, when set, narrows the dates further.
	Recurrence *Recurrence
}

// Recurrence is an override's RecurrencePattern.
type Recurrence struct {
	Frequency string // WEEKLY | MONTHLY | YEARLY
	// Interval is how many weeks, months or years lie between occurrences,
	// counted from the override's From date.
	Interval int
	// ByMonth (YEARLY) picks a month, 1–12.
	ByMonth []int
	// ByMonthDay picks a day of the month, 1–31, or -1 for the last; a
	// month without that day is skipped. The override's intervals then
	// apply whatever their Day says.
	ByMonthDay []int
	// ByWeekdayOccurrence picks the nth of the interval's weekday in the
	// month (1–4, or -1 for the last).
	ByWeekdayOccurrence []int
}

// Schedule is hours of operation with their overrides.
type Schedule struct {
	TimeZone  string // IANA name
	Config    []Interval
	Overrides []Override
}

// Span is an open stretch of one day, in minutes since midnight: Start
// included, End excluded, End at most 1440.
type Span struct{ Start, End int }

// Applied is an override's span on a date, as GetEffectiveHoursOfOperations
// reports it.
type Applied struct {
	Name   string
	Status string // OPEN or CLOSED
	Span
}

const minutesPerDay = 24 * 60

// DateLayout is how From and Till are written.
const DateLayout = "2006-01-02"

var dayNumbers = map[string]time.Weekday{
	"SUNDAY": time.Sunday, "MONDAY": time.Monday, "TUESDAY": time.Tuesday, "WEDNESDAY": time.Wednesday,
	"THURSDAY": time.Thursday, "FRIDAY": time.Friday, "SATURDAY": time.Saturday,
}

// Location loads the schedule's zone.
func (s Schedule) Location() (*time.Location, error) {
	if s.TimeZone == "" || s.TimeZone == "Local" {
		return nil, fmt.Errorf("hours of operation have no IANA time zone (%q)", s.TimeZone)
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("hours of operation time zone %q: %v", s.TimeZone, err)
	}
	return loc, nil
}

// OpenAt reports whether the hours are open at t. On the night clocks go
// back, wall times between the change repeat; both readings are treated
// alike, as they show the same wall time. On the night clocks go forward,
// the skipped times never occur.
func (s Schedule) OpenAt(t time.Time) (bool, error) {
	loc, err := s.Location()
	if err != nil {
		return false, err
	}
	local := t.In(loc)
	spans, _, err := s.Day(local)
	if err != nil {
		return false, err
	}
	now := local.Hour()*60 + local.Minute()
	return slices.ContainsFunc(spans, func(sp Span) bool { return now >= sp.Start && now < sp.End }), nil
}

// Day returns the open spans of the date of d (its year, month and day; the
// zone is not consulted), sorted and merged, and the overrides that applied.
func (s Schedule) Day(d time.Time) ([]Span, []Applied, error) {
	date := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	base, err := weekly(s.Config, date)
	if err != nil {
		return nil, nil, err
	}
	var standard, open, closed []Span
	var applied []Applied
	for _, o := range s.Overrides {
		spans, err := o.on(date)
		if err != nil {
			return nil, nil, err
		}
		if spans == nil {
			continue
		}
		status := "OPEN"
		switch o.Type {
		case "", "STANDARD":
			standard = append(standard, spans...)
		case "OPEN":
			open = append(open, spans...)
		case "CLOSED":
			closed, status = append(closed, spans...), "CLOSED"
		default:
			return nil, nil, fmt.Errorf("override %q has type %q; want STANDARD, OPEN or CLOSED", o.Name, o.Type)
		}
		for _, sp := range spans {
			applied = append(applied, Applied{Name: o.Name, Status: status, Span: sp})
		}
	}
	if standard != nil {
		// Temporary hours supersede every other setting of the date.
		return merge(standard), applied, nil
	}
	return subtract(merge(append(base, open...)), merge(closed)), applied, nil
}

// weekly returns the spans the weekly intervals give date: those of its
// own weekday, and the after-midnight part of the day before's intervals
// that run past midnight.
func weekly(config []Interval, date time.Time) ([]Span, error) {
	day := date.Weekday()
	yesterday := (day + 6) % 7
	var out []Span
	for _, c := range config {
		d, start, end, err := c.parse()
		if err != nil {
			return nil, err
		}
		if d == day {
			if end > start {
				out = append(out, Span{start, end})
			} else {
				out = append(out, Span{start, minutesPerDay})
			}
		}
		if d == yesterday && end <= start && end > 0 {
			out = append(out, Span{0, end})
		}
	}
	return out, nil
}

func (c Interval) parse() (time.Weekday, int, int, error) {
	d, ok := dayNumbers[c.Day]
	if !ok {
		return 0, 0, 0, fmt.Errorf("hours of operation day %q is not a weekday name", c.Day)
	}
	start := c.StartHours*60 + c.StartMinutes
	end := c.EndHours*60 + c.EndMinutes
	if start < 0 || start >= minutesPerDay || end < 0 || end >= minutesPerDay || c.StartMinutes < 0 || c.StartMinutes > 59 ||
		c.EndMinutes < 0 || c.EndMinutes > 59 {
		return 0, 0, 0, fmt.Errorf("hours of operation interval %02d:%02d-%02d:%02d on %s is outside 00:00-23:59",
			c.StartHours, c.StartMinutes, c.EndHours, c.EndMinutes, c.Day)
	}
	return d, start, end, nil
}

// on returns the override's spans on date, nil when it does not apply. An
// override's interval ends at midnight at the latest: one whose end is not
// after its start lasts to the end of its day.
func (o Override) on(date time.Time) ([]Span, error) {
	from, err := time.Parse(DateLayout, o.From)
	if err != nil {
		return nil, fmt.Errorf("override %q EffectiveFrom %q: want YYYY-MM-DD", o.Name, o.From)
	}
	till, err := time.Parse(DateLayout, o.Till)
	if err != nil {
		return nil, fmt.Errorf("override %q EffectiveTill %q: want YYYY-MM-DD", o.Name, o.Till)
	}
	if date.Before(from) || date.After(till) {
		return nil, nil
	}
	anyDay := false
	if r := o.Recurrence; r != nil {
		ok, err := r.matches(from, date)
		if err != nil || !ok {
			return nil, err
		}
		anyDay = len(r.ByMonthDay) > 0
	}
	var out []Span
	for _, c := range o.Config {
		d, start, end, err := c.parse()
		if err != nil {
			return nil, err
		}
		if !anyDay && d != date.Weekday() {
			continue
		}
		if r := o.Recurrence; r != nil && len(r.ByWeekdayOccurrence) > 0 && !weekdayOccurrence(date, r.ByWeekdayOccurrence[0]) {
			continue
		}
		if end <= start {
			end = minutesPerDay
		}
		out = append(out, Span{start, end})
	}
	return out, nil
}

// matches reports whether date is an occurrence, counting from from.
func (r *Recurrence) matches(from, date time.Time) (bool, error) {
	n := max(r.Interval, 1)
	switch r.Frequency {
	case "WEEKLY":
		weeks := int(date.Sub(startOfWeek(from)).Hours()) / (24 * 7)
		return weeks%n == 0, nil
	case "MONTHLY":
		months := (date.Year()-from.Year())*12 + int(date.Month()) - int(from.Month())
		return months%n == 0 && r.monthDay(date), nil
	case "YEARLY":
		years := date.Year() - from.Year()
		if years%n != 0 || len(r.ByMonth) > 0 && int(date.Month()) != r.ByMonth[0] {
			return false, nil
		}
		return r.monthDay(date), nil
	}
	return false, fmt.Errorf("recurrence frequency %q: want WEEKLY, MONTHLY or YEARLY", r.Frequency)
}

// monthDay applies ByMonthDay.
func (r *Recurrence) monthDay(date time.Time) bool {
	if len(r.ByMonthDay) == 0 {
		return true
	}
	want := r.ByMonthDay[0]
	if want < 0 {
		want = daysIn(date) + 1 + want
	}
	return date.Day() == want
}

// weekdayOccurrence reports whether date is the nth of its weekday in its
// month (n -1: the last).
func weekdayOccurrence(date time.Time, n int) bool {
	if n < 0 {
		return date.Day()+7*(-n) > daysIn(date) && date.Day()+7*(-n-1) <= daysIn(date)
	}
	return (date.Day()-1)/7+1 == n
}

func daysIn(date time.Time) int {
	return time.Date(date.Year(), date.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// startOfWeek is the Sunday on or before date, so that weekly occurrences
// count whole weeks as the days' names do.
func startOfWeek(date time.Time) time.Time {
	return date.AddDate(0, 0, -int(date.Weekday()))
}

// merge sorts spans and joins those that touch or overlap.
func merge(spans []Span) []Span {
	if len(spans) == 0 {
		return nil
	}
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b Span) int { return a.Start - b.Start })
	out := []Span{s[0]}
	for _, sp := range s[1:] {
		last := &out[len(out)-1]
		if sp.Start <= last.End {
			last.End = max(last.End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// subtract takes the closed spans out of the open ones (both merged).
func subtract(open, closed []Span) []Span {
	var out []Span
	for _, o := range open {
		parts := []Span{o}
		for _, c := range closed {
			var next []Span
			for _, p := range parts {
				if c.End <= p.Start || c.Start >= p.End {
					next = append(next, p)
					continue
				}
				if c.Start > p.Start {
					next = append(next, Span{p.Start, c.Start})
				}
				if c.End < p.End {
					next = append(next, Span{c.End, p.End})
				}
			}
			parts = next
		}
		out = append(out, parts...)
	}
	return out
}
