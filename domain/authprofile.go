package domain

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// Authentication profiles say where agents may sign in from (allowed and
// blocked IP ranges) and for how long. An instance has one, its default:
// until UpdateAuthenticationProfile first changes it, it is not stored but
// made from the instance (its ID derived from the instance's), so
// instances created before profiles existed have one too. The agent API
// enforces the IP ranges at login and on every request; the session
// durations are kept and shown, and the agent API's own session lifetime
// (serve's flags) applies.

// AuthenticationProfile is an instance's authentication profile.
type AuthenticationProfile struct {
	ID, Arn, InstanceID string
	Name, Description   string
	AllowedIPs          []string `json:",omitempty"`
	BlockedIPs          []string `json:",omitempty"`
	IsDefault           bool
	CreatedTime         time.Time
	LastModifiedTime    time.Time
	// Durations in minutes.
	PeriodicSessionDuration   int
	MaxSessionDuration        int
	SessionInactivityDuration int
	SessionInactivityHandling bool
}

func (p *AuthenticationProfile) recordKey() (string, string) { return p.ID, p.Name }

// KindAuthenticationProfile is an updated profile's record.
const KindAuthenticationProfile Kind = "authentication-profile"

// defaultProfileID derives the ID of an instance's default profile.
func defaultProfileID(instanceID string) string {
	h := sha256.Sum256([]byte("authentication-profile/" + instanceID))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// profileOf returns an instance's default profile, stored or made.
func (s *Service) profileOf(tx ReadTx, iid string) (*AuthenticationProfile, error) {
	id := defaultProfileID(iid)
	p, err := getDoc[AuthenticationProfile](tx, KindAuthenticationProfile, iid, id)
	if !errors.Is(err, ErrStoreNotFound) {
		return p, err
	}
	inst, err := s.getInstance(tx, iid)
	if err != nil {
		return nil, err
	}
	// Connect's defaults: an hour between silent re-authentications, 12
	// hours of session, and no sign-out for inactivity.
	return &AuthenticationProfile{ID: id, Arn: s.newARN(KindAuthenticationProfile, iid, id), InstanceID: iid,
		Name: "Default authentication profile", IsDefault: true, CreatedTime: inst.CreatedTime, LastModifiedTime: inst.CreatedTime,
		PeriodicSessionDuration: 60, MaxSessionDuration: 720, SessionInactivityDuration: 60}, nil
}

// profileIn resolves an instance and finds its profile by ID or ARN.
func (s *Service) profileIn(tx ReadTx, instanceID, profileID string) (*AuthenticationProfile, error) {
	iid, err := s.resolveInstance(tx, instanceID)
	if err != nil {
		return nil, err
	}
	p, err := s.profileOf(tx, iid)
	if err != nil {
		return nil, err
	}
	if idFromARN(profileID, kindInfo[KindAuthenticationProfile].arnType) != p.ID {
		return nil, Errorf(ErrNotFound, "Authentication profile %s not found in instance %s; ListAuthenticationProfiles shows its profile.", clip(profileID, 100), iid)
	}
	return p, nil
}

// DescribeAuthenticationProfile returns a profile by ID or ARN.
func (s *Service) DescribeAuthenticationProfile(ctx context.Context, instanceID, profileID string) (*AuthenticationProfile, error) {
	var out *AuthenticationProfile
	err := s.view(ctx, func(tx ReadTx) error {
		p, err := s.profileIn(tx, instanceID, profileID)
		if err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// ListAuthenticationProfiles lists an instance's profiles: its default.
func (s *Service) ListAuthenticationProfiles(ctx context.Context, instanceID string, page Page) ([]AuthenticationProfile, string, error) {
	var all []AuthenticationProfile
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		p, err := s.profileOf(tx, iid)
		if err != nil {
			return err
		}
		all = []AuthenticationProfile{*p}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(all, page)
}

// AuthenticationProfileUpdate is what UpdateAuthenticationProfile changes
// (nil: unchanged).
type AuthenticationProfileUpdate struct {
	Name, Description            *string
	AllowedIPs, BlockedIPs       []string
	SetAllowedIPs, SetBlockedIPs bool
	PeriodicSessionDuration      *int
	SessionInactivityDuration    *int
	SessionInactivityHandling    *bool
}

// UpdateAuthenticationProfile changes a profile. IP ranges are CIDR blocks
// (IPv4 or IPv6); a range given as a bare address means that address.
func (s *Service) UpdateAuthenticationProfile(ctx context.Context, instanceID, profileID string, u AuthenticationProfileUpdate) error {
	for _, list := range [][]string{u.AllowedIPs, u.BlockedIPs} {
		for _, c := range list {
			if _, err := parseCIDR(c); err != nil {
				return Errorf(ErrInvalidParameter, "%q is not an IP range; write it in CIDR notation, such as 203.0.113.0/24 or 2001:db8::/32.", clip(c, 50))
			}
		}
	}
	err := s.update(ctx, func(tx Tx) error {
		p, err := s.profileIn(tx, instanceID, profileID)
		if err != nil {
			return err
		}
		if u.Name != nil {
			p.Name = *u.Name
		}
		if u.Description != nil {
			p.Description = *u.Description
		}
		if u.SetAllowedIPs {
			p.AllowedIPs = u.AllowedIPs
		}
		if u.SetBlockedIPs {
			p.BlockedIPs = u.BlockedIPs
		}
		if u.PeriodicSessionDuration != nil {
			p.PeriodicSessionDuration = *u.PeriodicSessionDuration
		}
		if u.SessionInactivityDuration != nil {
			p.SessionInactivityDuration = *u.SessionInactivityDuration
		}
		if u.SessionInactivityHandling != nil {
			p.SessionInactivityHandling = *u.SessionInactivityHandling
		}
		now := s.now()
		p.LastModifiedTime = now
		return putDoc(tx, KindAuthenticationProfile, p.InstanceID, p.ID, "", p.CreatedTime, now, p)
	})
	return err
}

// parseCIDR reads a range; a bare address is a range of one.
func parseCIDR(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// CheckAgentIP says whether an agent may use the instance from ip: not in
// a blocked range, and, when the profile allows ranges, in one of them.
// The refusal is an AccessDeniedException.
func (s *Service) CheckAgentIP(ctx context.Context, instanceID string, ip netip.Addr) error {
	var p *AuthenticationProfile
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		p, err = s.profileOf(tx, iid)
		return err
	})
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	in := func(list []string) bool {
		for _, c := range list {
			if r, err := parseCIDR(c); err == nil && r.Contains(ip) {
				return true
			}
		}
		return false
	}
	switch {
	case in(p.BlockedIPs):
		return Errorf(ErrAccessDenied, "Sign-in from %s is blocked by the instance's authentication profile (BlockedIps).", ip)
	case len(p.AllowedIPs) > 0 && !in(p.AllowedIPs):
		return Errorf(ErrAccessDenied, "Sign-in from %s is not allowed by the instance's authentication profile: it is in none of its AllowedIps.", ip)
	}
	return nil
}
