package hours

import (
	"testing"
	"time"
)

func at(t *testing.T, zone string, y int, m time.Month, d, hh, mm int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, hh, mm, 0, 0, loc)
}

func TestHoursOpenAt(t *testing.T) {
	utc := func(d, hh, mm int) time.Time { return time.Date(2024, 1, d, hh, mm, 0, 0, time.UTC) } // 2024-01-08 is a Monday
	nineToFive := Schedule{TimeZone: "UTC", Config: []Interval{{Day: "MONDAY", StartHours: 9, EndHours: 17}}}
	lateFriday := Schedule{TimeZone: "America/New_York", Config: []Interval{{Day: "FRIDAY", StartHours: 22, EndHours: 2}}}
	allSunday := Schedule{TimeZone: "Asia/Tokyo", Config: []Interval{{Day: "SUNDAY"}}}
	fromNoon := Schedule{TimeZone: "UTC", Config: []Interval{{Day: "WEDNESDAY", StartHours: 12, EndHours: 12}}}
	sundayNY := Schedule{TimeZone: "America/New_York", Config: []Interval{{Day: "SUNDAY", StartHours: 9, EndHours: 17}}}
	earlySundayLondon := Schedule{TimeZone: "Europe/London", Config: []Interval{{Day: "SUNDAY", StartHours: 0, EndHours: 1, EndMinutes: 30}}}
	kolkata := Schedule{TimeZone: "Asia/Kolkata", Config: []Interval{{Day: "MONDAY", StartHours: 9, EndHours: 17, EndMinutes: 30}}}
	// Sydney's clocks go back at 03:00 on 2024-04-07; an overnight shift
	// from Saturday 20:00 to Sunday 04:00 spans the change.
	sydneyNight := Schedule{TimeZone: "Australia/Sydney", Config: []Interval{{Day: "SATURDAY", StartHours: 20, EndHours: 4}}}
	split := Schedule{TimeZone: "UTC", Config: []Interval{
		{Day: "MONDAY", StartHours: 9, EndHours: 12}, {Day: "MONDAY", StartHours: 13, EndHours: 17}}}

	cases := []struct {
		name string
		h    Schedule
		t    time.Time
		want bool
	}{
		{"before opening", nineToFive, utc(8, 8, 59), false},
		{"at opening", nineToFive, utc(8, 9, 0), true},
		{"last minute", nineToFive, utc(8, 16, 59), true},
		{"at closing", nineToFive, utc(8, 17, 0), false},
		{"other day", nineToFive, utc(9, 10, 0), false},
		{"zone converts UTC", nineToFive, at(t, "America/New_York", 2024, 1, 8, 11, 0), true}, // 16:00 UTC
		{"lunch break", split, utc(8, 12, 30), false},
		{"after lunch", split, utc(8, 13, 0), true},
		{"overnight evening part", lateFriday, at(t, "America/New_York", 2024, 1, 12, 23, 30), true},
		{"overnight after midnight", lateFriday, at(t, "America/New_York", 2024, 1, 13, 1, 59), true},
		{"overnight ends", lateFriday, at(t, "America/New_York", 2024, 1, 13, 2, 0), false},
		{"overnight not yet", lateFriday, at(t, "America/New_York", 2024, 1, 12, 21, 59), false},
		{"overnight early Friday is Thursday's", lateFriday, at(t, "America/New_York", 2024, 1, 12, 1, 0), false},
		{"overnight in UTC terms", lateFriday, time.Date(2024, 1, 13, 5, 0, 0, 0, time.UTC), true}, // Sat 00:00 EST
		{"all day start", allSunday, at(t, "Asia/Tokyo", 2024, 1, 14, 0, 0), true},
		{"all day end", allSunday, at(t, "Asia/Tokyo", 2024, 1, 14, 23, 59), true},
		{"all day not Monday", allSunday, at(t, "Asia/Tokyo", 2024, 1, 15, 0, 0), false},
		{"all day not Saturday", allSunday, at(t, "Asia/Tokyo", 2024, 1, 13, 23, 59), false},
		{"all day seen from UTC", allSunday, time.Date(2024, 1, 13, 15, 0, 0, 0, time.UTC), true}, // Sun 00:00 JST
		{"24h from noon not before", fromNoon, utc(10, 11, 59), false},
		{"24h from noon starts", fromNoon, utc(10, 12, 0), true},
		{"24h from noon overnight", fromNoon, utc(11, 3, 0), true},
		{"24h from noon last minute", fromNoon, utc(11, 11, 59), true},
		{"24h from noon ends next noon", fromNoon, utc(11, 12, 0), false},
		// New York springs forward on 2024-03-10: 09:00 is 13:00 UTC that
		// day, 14:00 UTC the week before.
		{"DST day opens at local nine", sundayNY, time.Date(2024, 3, 10, 13, 0, 0, 0, time.UTC), true},
		{"DST day closed at local 08:59", sundayNY, time.Date(2024, 3, 10, 12, 59, 0, 0, time.UTC), false},
		{"week before DST 13:00 UTC is 08:00", sundayNY, time.Date(2024, 3, 3, 13, 0, 0, 0, time.UTC), false},
		{"DST day closes at local five", sundayNY, time.Date(2024, 3, 10, 21, 0, 0, 0, time.UTC), false},
		// London falls back on 2024-10-27 at 02:00 BST (01:00 UTC):
		// 01:15 local happens twice and is open both times.
		{"fall back first 01:15", earlySundayLondon, time.Date(2024, 10, 27, 0, 15, 0, 0, time.UTC), true},
		{"fall back second 01:15", earlySundayLondon, time.Date(2024, 10, 27, 1, 15, 0, 0, time.UTC), true},
		{"fall back 01:30 local closes", earlySundayLondon, time.Date(2024, 10, 27, 1, 30, 0, 0, time.UTC), false},
		{"fall back first 01:30 closes too", earlySundayLondon, time.Date(2024, 10, 27, 0, 30, 0, 0, time.UTC), false},
		{"half-hour zone opens", kolkata, time.Date(2024, 1, 8, 3, 30, 0, 0, time.UTC), true},
		{"half-hour zone before", kolkata, time.Date(2024, 1, 8, 3, 29, 0, 0, time.UTC), false},
		{"half-hour zone closes", kolkata, time.Date(2024, 1, 8, 12, 0, 0, 0, time.UTC), false},
		{"Sydney overnight across fall back", sydneyNight, at(t, "Australia/Sydney", 2024, 4, 7, 3, 30), true},
		{"Sydney overnight ends", sydneyNight, at(t, "Australia/Sydney", 2024, 4, 7, 4, 0), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.h.OpenAt(tc.t)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("OpenAt(%v) = %v, want %v", tc.t, got, tc.want)
			}
		})
	}
}

func TestHoursErrors(t *testing.T) {
	for name, h := range map[string]Schedule{
		"no zone":      {},
		"local zone":   {TimeZone: "Local"},
		"unknown zone": {TimeZone: "Nowhere/Town"},
		"bad day":      {TimeZone: "UTC", Config: []Interval{{Day: "FUNDAY"}}},
		"bad time":     {TimeZone: "UTC", Config: []Interval{{Day: "MONDAY", EndHours: 24}}},
	} {
		if _, err := h.OpenAt(time.Date(2024, 1, 8, 12, 0, 0, 0, time.UTC)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
