package flowrun

import (
	"fmt"
	"time"
)

var dayNumbers = map[string]time.Weekday{
	"SUNDAY": time.Sunday, "MONDAY": time.Monday, "TUESDAY": time.Tuesday, "WEDNESDAY": time.Wednesday,
	"THURSDAY": time.Thursday, "FRIDAY": time.Friday, "SATURDAY": time.Saturday,
}

const minutesPerDay = 24 * 60

// OpenAt reports whether the hours are open at t.
//
// Intervals are wall-clock times in the hours' time zone, so the check
// converts t to that zone and compares the local weekday and time of day:
// across a daylight-saving change "09:00–17:00" still means nine to five
// local time, however many UTC hours that is. An interval whose end is not
// after its start runs on past midnight into the next day (22:00–02:00),
// and start equal to end is open 24 hours from start (00:00–00:00 is the
// whole day). The end minute itself is closed.
//
// On the night clocks go back, wall times between the change repeat; both
// readings are treated alike, as they show the same wall time. On the night
// clocks go forward, the skipped times never occur.
func (h Hours) OpenAt(t time.Time) (bool, error) {
	if h.TimeZone == "" || h.TimeZone == "Local" {
		return false, fmt.Errorf("hours of operation have no IANA time zone (%q)", h.TimeZone)
	}
	loc, err := time.LoadLocation(h.TimeZone)
	if err != nil {
		return false, fmt.Errorf("hours of operation time zone %q: %v", h.TimeZone, err)
	}
	local := t.In(loc)
	day := local.Weekday()
	yesterday := (day + 6) % 7
	now := local.Hour()*60 + local.Minute()
	for _, c := range h.Config {
		d, ok := dayNumbers[c.Day]
		if !ok {
			return false, fmt.Errorf("hours of operation day %q is not a weekday name", c.Day)
		}
		start := c.StartHours*60 + c.StartMinutes
		end := c.EndHours*60 + c.EndMinutes
		if start < 0 || start >= minutesPerDay || end < 0 || end >= minutesPerDay {
			return false, fmt.Errorf("hours of operation interval %02d:%02d-%02d:%02d on %s is outside 00:00-23:59",
				c.StartHours, c.StartMinutes, c.EndHours, c.EndMinutes, c.Day)
		}
		switch {
		case end > start:
			// Same-day interval.
			if d == day && now >= start && now < end {
				return true, nil
			}
		default:
			// Runs past midnight: the evening part on its own day, the
			// morning part (up to end) on the next.
			if d == day && now >= start {
				return true, nil
			}
			if d == yesterday && now < end {
				return true, nil
			}
		}
	}
	return false, nil
}
