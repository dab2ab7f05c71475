package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Routing profiles (connect-semantics §3.2): which queues and channels an
// agent serves, in what priority, and how many contacts of each channel at
// once. The routing engine reads MediaConcurrencies and QueueConfigs.

func (p *RoutingProfile) recordKey() (string, string) { return p.ID, p.Name }

// RoutingProfileParams are the inputs of CreateRoutingProfile.
type RoutingProfileParams struct {
	Name, Description      string
	DefaultOutboundQueueID string
	MediaConcurrencies     []MediaConcurrency
	QueueConfigs           []RoutingProfileQueueConfig
	ManualAssignmentQueues []QueueChannel
	AgentAvailabilityTimer string
	Tags                   map[string]string
}

// maxQueueConfigsPerCall is the model's limit on QueueConfigs in one
// request; the quota on a profile's pairs is separate.
const maxQueueConfigsPerCall = 10

var channels = []string{"VOICE", "CHAT", "TASK", "EMAIL"}

// checkConcurrencies: each channel at most once, VOICE exactly 1, the other
// channels 1..10; CrossChannelBehavior defaults to
// ROUTE_CURRENT_CHANNEL_ONLY. Returns the list in channel order.
func checkConcurrencies(in []MediaConcurrency) ([]MediaConcurrency, error) {
	if len(in) == 0 {
		return nil, Errorf(ErrInvalidParameter, "MediaConcurrencies is empty; give at least one channel the agents handle.")
	}
	seen := map[string]bool{}
	out := make([]MediaConcurrency, 0, len(in))
	for _, mc := range in {
		if !slices.Contains(channels, mc.Channel) {
			return nil, Errorf(ErrInvalidParameter, "Channel %q is not valid; use VOICE, CHAT, TASK or EMAIL.", clip(mc.Channel, 32))
		}
		if seen[mc.Channel] {
			return nil, Errorf(ErrInvalidParameter, "Channel %s appears twice in MediaConcurrencies; give each channel once.", mc.Channel)
		}
		seen[mc.Channel] = true
		if mc.Channel == "VOICE" && mc.Concurrency != 1 {
			return nil, Errorf(ErrInvalidParameter, "VOICE concurrency is %d; an agent handles exactly 1 voice contact at a time.", mc.Concurrency)
		}
		if mc.Concurrency < 1 || mc.Concurrency > 10 {
			return nil, Errorf(ErrInvalidParameter, "%s concurrency is %d; it must be between 1 and 10.", mc.Channel, mc.Concurrency)
		}
		switch mc.CrossChannelBehavior {
		case "":
			mc.CrossChannelBehavior = "ROUTE_CURRENT_CHANNEL_ONLY"
		case "ROUTE_CURRENT_CHANNEL_ONLY", "ROUTE_ANY_CHANNEL":
		default:
			return nil, Errorf(ErrInvalidParameter, "CrossChannelBehavior %q is not valid; use ROUTE_CURRENT_CHANNEL_ONLY or ROUTE_ANY_CHANNEL.", clip(mc.CrossChannelBehavior, 40))
		}
		out = append(out, mc)
	}
	slices.SortFunc(out, func(a, b MediaConcurrency) int {
		return slices.Index(channels, a.Channel) - slices.Index(channels, b.Channel)
	})
	return out, nil
}

func checkTimer(t string) (string, error) {
	switch t {
	case "":
		return "TIME_SINCE_LAST_ACTIVITY", nil
	case "TIME_SINCE_LAST_ACTIVITY", "TIME_SINCE_LAST_INBOUND":
		return t, nil
	}
	return "", Errorf(ErrInvalidParameter, "AgentAvailabilityTimer %q is not valid; use TIME_SINCE_LAST_ACTIVITY or TIME_SINCE_LAST_INBOUND.", clip(t, 40))
}

// standardQueue checks that ref names a STANDARD queue of the instance and
// returns its bare ID. Agent queues belong to one user and cannot be put in
// a routing profile.
func standardQueue(tx ReadTx, iid, ref, role string) (string, error) {
	id := idFromARN(ref, "queue")
	q, err := getDoc[Queue](tx, KindQueue, iid, id)
	if isNotFound(err) {
		return "", Errorf(ErrNotFound, "Queue %s (%s) not found in instance %s; create it first or pass the ID of an existing one.", clip(ref, 100), role, iid)
	}
	if err != nil {
		return "", err
	}
	if q.QueueType != "STANDARD" {
		return "", Errorf(ErrInvalidRequest, "Queue %s (%s) is an agent queue; routing profiles take STANDARD queues only.", clip(ref, 100), role)
	}
	return q.ID, nil
}

// checkQueueConfigs checks configs given in one call: at most 10, priority
// 1..99, delay 0..9999, each queue+channel once, queues STANDARD. It
// returns them with bare queue IDs.
func checkQueueConfigs(tx ReadTx, iid string, in []RoutingProfileQueueConfig) ([]RoutingProfileQueueConfig, error) {
	if len(in) > maxQueueConfigsPerCall {
		return nil, Errorf(ErrInvalidParameter, "QueueConfigs has %d entries; one request takes at most %d (add more with AssociateRoutingProfileQueues).", len(in), maxQueueConfigsPerCall)
	}
	seen := map[QueueChannel]bool{}
	out := make([]RoutingProfileQueueConfig, 0, len(in))
	for _, c := range in {
		if c.Priority < 1 || c.Priority > 99 {
			return nil, Errorf(ErrInvalidParameter, "Priority %d is not valid; use 1 (highest) to 99.", c.Priority)
		}
		if c.Delay < 0 || c.Delay > 9999 {
			return nil, Errorf(ErrInvalidParameter, "Delay %d is not valid; use 0 to 9999 seconds.", c.Delay)
		}
		if !slices.Contains(channels, c.Channel) {
			return nil, Errorf(ErrInvalidParameter, "Channel %q is not valid; use VOICE, CHAT, TASK or EMAIL.", clip(c.Channel, 32))
		}
		id, err := standardQueue(tx, iid, c.QueueID, "QueueConfigs")
		if err != nil {
			return nil, err
		}
		c.QueueID = id
		k := QueueChannel{id, c.Channel}
		if seen[k] {
			return nil, Errorf(ErrInvalidParameter, "Queue %s with channel %s appears twice in QueueConfigs; a queue is added once per channel.", id, c.Channel)
		}
		seen[k] = true
		out = append(out, c)
	}
	return out, nil
}

// checkManualQueues checks manual-assignment queue references given in one
// call, like checkQueueConfigs.
func checkManualQueues(tx ReadTx, iid string, in []QueueChannel) ([]QueueChannel, error) {
	if len(in) > maxQueueConfigsPerCall {
		return nil, Errorf(ErrInvalidParameter, "ManualAssignmentQueueConfigs has %d entries; one request takes at most %d.", len(in), maxQueueConfigsPerCall)
	}
	seen := map[QueueChannel]bool{}
	out := make([]QueueChannel, 0, len(in))
	for _, c := range in {
		if !slices.Contains(channels, c.Channel) {
			return nil, Errorf(ErrInvalidParameter, "Channel %q is not valid; use VOICE, CHAT, TASK or EMAIL.", clip(c.Channel, 32))
		}
		id, err := standardQueue(tx, iid, c.QueueID, "ManualAssignmentQueueConfigs")
		if err != nil {
			return nil, err
		}
		c.QueueID = id
		if seen[c] {
			return nil, Errorf(ErrInvalidParameter, "Queue %s with channel %s appears twice in ManualAssignmentQueueConfigs.", id, c.Channel)
		}
		seen[c] = true
		out = append(out, c)
	}
	return out, nil
}

// CreateRoutingProfile creates a routing profile.
func (s *Service) CreateRoutingProfile(ctx context.Context, instanceID string, p RoutingProfileParams) (*RoutingProfile, error) {
	mcs, err := checkConcurrencies(p.MediaConcurrencies)
	if err != nil {
		return nil, err
	}
	timer, err := checkTimer(p.AgentAvailabilityTimer)
	if err != nil {
		return nil, err
	}
	var rp *RoutingProfile
	err = s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindRoutingProfile, iid, s.quotas.RoutingProfiles, ErrLimitExceeded, "routing-profiles"); err != nil {
			return err
		}
		outbound, err := standardQueue(tx, iid, p.DefaultOutboundQueueID, "DefaultOutboundQueueId")
		if err != nil {
			return err
		}
		configs, err := checkQueueConfigs(tx, iid, p.QueueConfigs)
		if err != nil {
			return err
		}
		manual, err := checkManualQueues(tx, iid, p.ManualAssignmentQueues)
		if err != nil {
			return err
		}
		now := s.now()
		rp = &RoutingProfile{ID: s.newID(), InstanceID: iid, Name: p.Name, Description: p.Description, DefaultOutboundQueueID: outbound,
			MediaConcurrencies: mcs, QueueConfigs: configs, ManualAssignmentQueues: manual, AgentAvailabilityTimer: timer,
			Tags: p.Tags, LastModifiedTime: now}
		rp.Arn = s.newARN(KindRoutingProfile, iid, rp.ID)
		return save(tx, KindRoutingProfile, iid, rp, now, now)
	})
	if err != nil {
		return nil, err
	}
	return rp, nil
}

// RoutingProfileInfo is a routing profile with the counts Describe and
// Search report.
type RoutingProfileInfo struct {
	RoutingProfile
	AssociatedQueueIDs       []string // distinct, in configuration order
	AssociatedManualQueueIDs []string
	NumberOfAssociatedUsers  int
}

func distinctQueues[T any](items []T, id func(T) string) []string {
	var out []string
	for _, it := range items {
		if q := id(it); !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}

// profileInfos adds the derived members to profiles, counting users once.
func profileInfos(tx ReadTx, iid string, rps []RoutingProfile) ([]RoutingProfileInfo, error) {
	users, err := all[User](tx, KindUser, iid)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, u := range users {
		count[u.RoutingProfileID]++
	}
	out := make([]RoutingProfileInfo, 0, len(rps))
	for _, rp := range rps {
		out = append(out, RoutingProfileInfo{RoutingProfile: rp,
			AssociatedQueueIDs:       distinctQueues(rp.QueueConfigs, func(c RoutingProfileQueueConfig) string { return c.QueueID }),
			AssociatedManualQueueIDs: distinctQueues(rp.ManualAssignmentQueues, func(c QueueChannel) string { return c.QueueID }),
			NumberOfAssociatedUsers:  count[rp.ID]})
	}
	return out, nil
}

// DescribeRoutingProfile returns a routing profile with its counts.
func (s *Service) DescribeRoutingProfile(ctx context.Context, instanceID, profileID string) (*RoutingProfileInfo, error) {
	var out *RoutingProfileInfo
	err := viewResource(s, ctx, KindRoutingProfile, instanceID, profileID, func(tx ReadTx, iid string, rp *RoutingProfile) error {
		infos, err := profileInfos(tx, iid, []RoutingProfile{*rp})
		if err != nil {
			return err
		}
		out = &infos[0]
		return nil
	})
	return out, err
}

// ListRoutingProfiles pages through the instance's routing profiles.
func (s *Service) ListRoutingProfiles(ctx context.Context, instanceID string, page Page) ([]RoutingProfile, string, error) {
	return listIn[RoutingProfile](s, ctx, KindRoutingProfile, instanceID, page, nil)
}

// RoutingProfileQueue is one queue configuration with the queue's name and
// ARN, as ListRoutingProfileQueues reports it.
type RoutingProfileQueue struct {
	RoutingProfileQueueConfig
	QueueName, QueueArn string
}

// ListRoutingProfileQueues pages through a profile's queue configurations
// in the order they were added, and returns the profile's modification
// time.
func (s *Service) ListRoutingProfileQueues(ctx context.Context, instanceID, profileID string, page Page) ([]RoutingProfileQueue, string, time.Time, error) {
	return profileQueues(s, ctx, instanceID, profileID, page, func(rp *RoutingProfile) []RoutingProfileQueueConfig { return rp.QueueConfigs },
		func(c RoutingProfileQueueConfig) string { return c.QueueID },
		func(c RoutingProfileQueueConfig, q *Queue) RoutingProfileQueue {
			return RoutingProfileQueue{RoutingProfileQueueConfig: c, QueueName: q.Name, QueueArn: q.Arn}
		})
}

// ManualQueue is one manual-assignment queue of a profile with the queue's
// name and ARN.
type ManualQueue struct {
	QueueChannel
	QueueName, QueueArn string
}

// ListRoutingProfileManualAssignmentQueues pages through a profile's
// manual-assignment queues in the order they were added, with the
// profile's modification time.
func (s *Service) ListRoutingProfileManualAssignmentQueues(ctx context.Context, instanceID, profileID string, page Page) ([]ManualQueue, string, time.Time, error) {
	return profileQueues(s, ctx, instanceID, profileID, page, func(rp *RoutingProfile) []QueueChannel { return rp.ManualAssignmentQueues },
		func(c QueueChannel) string { return c.QueueID },
		func(c QueueChannel, q *Queue) ManualQueue {
			return ManualQueue{QueueChannel: c, QueueName: q.Name, QueueArn: q.Arn}
		})
}

// profileQueues pages through one of a profile's lists of queue entries
// (list), each shown with its queue (queueOf names it; show makes the
// result).
func profileQueues[C, R any](s *Service, ctx context.Context, instanceID, profileID string, page Page, list func(*RoutingProfile) []C,
	queueOf func(C) string, show func(C, *Queue) R) ([]R, string, time.Time, error) {
	var (
		out      []R
		next     string
		modified time.Time
	)
	err := viewResource(s, ctx, KindRoutingProfile, instanceID, profileID, func(tx ReadTx, iid string, rp *RoutingProfile) error {
		modified = rp.LastModifiedTime
		entries, nextPage, err := pageSlice(list(rp), page)
		if err != nil {
			return err
		}
		next = nextPage
		for _, c := range entries {
			q, err := getDoc[Queue](tx, KindQueue, iid, queueOf(c))
			if err != nil {
				return fmt.Errorf("routing profile %s names queue %s: %w", rp.ID, queueOf(c), err)
			}
			out = append(out, show(c, q))
		}
		return nil
	})
	return out, next, modified, err
}

// modifyProfile applies fn to a routing profile and stores it.
func (s *Service) modifyProfile(ctx context.Context, instanceID, profileID string, fn func(tx Tx, iid string, rp *RoutingProfile) error) error {
	_, err := modify(s, ctx, KindRoutingProfile, instanceID, profileID, func(tx Tx, iid string, now time.Time, rp *RoutingProfile) error {
		if err := fn(tx, iid, rp); err != nil {
			return err
		}
		rp.LastModifiedTime = now
		return nil
	})
	if err == nil {
		// Every agent with the profile may route differently now.
		s.NotifyAgentChanged(ctx, instanceID, "")
	}
	return err
}

// AssociateRoutingProfileQueues adds queue configurations. A queue+channel
// already in the profile is refused (change it with
// UpdateRoutingProfileQueues), and the profile may hold at most the quota
// of pairs (50) of each kind.
func (s *Service) AssociateRoutingProfileQueues(ctx context.Context, instanceID, profileID string, configs []RoutingProfileQueueConfig, manual []QueueChannel) error {
	if len(configs) == 0 && len(manual) == 0 {
		return Errorf(ErrInvalidParameter, "Give QueueConfigs or ManualAssignmentQueueConfigs to associate.")
	}
	return s.modifyProfile(ctx, instanceID, profileID, func(tx Tx, iid string, rp *RoutingProfile) error {
		cs, err := checkQueueConfigs(tx, iid, configs)
		if err != nil {
			return err
		}
		ms, err := checkManualQueues(tx, iid, manual)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if rp.queueConfig(QueueChannel{c.QueueID, c.Channel}) >= 0 {
				return Errorf(ErrInvalidRequest, "Queue %s is already in routing profile %q for channel %s; change its priority or delay with UpdateRoutingProfileQueues.", c.QueueID, rp.Name, c.Channel)
			}
		}
		for _, m := range ms {
			if slices.Contains(rp.ManualAssignmentQueues, m) {
				return Errorf(ErrInvalidRequest, "Queue %s is already a manual-assignment queue of routing profile %q for channel %s.", m.QueueID, rp.Name, m.Channel)
			}
		}
		if n := len(rp.QueueConfigs) + len(cs); n > s.quotas.RoutingProfileQueues {
			return Errorf(ErrLimitExceeded, "Routing profile %q would have %d queue-channel pairs; a profile holds at most %d (start the server with --quota routing-profile-queues=N to raise it).", rp.Name, n, s.quotas.RoutingProfileQueues)
		}
		if n := len(rp.ManualAssignmentQueues) + len(ms); n > s.quotas.RoutingProfileQueues {
			return Errorf(ErrLimitExceeded, "Routing profile %q would have %d manual-assignment queue-channel pairs; a profile holds at most %d.", rp.Name, n, s.quotas.RoutingProfileQueues)
		}
		rp.QueueConfigs = append(rp.QueueConfigs, cs...)
		rp.ManualAssignmentQueues = append(rp.ManualAssignmentQueues, ms...)
		return nil
	})
}

// queueConfig returns the index of the profile's configuration for k, or -1.
func (rp *RoutingProfile) queueConfig(k QueueChannel) int {
	return slices.IndexFunc(rp.QueueConfigs, func(c RoutingProfileQueueConfig) bool { return c.QueueID == k.QueueID && c.Channel == k.Channel })
}

// DisassociateRoutingProfileQueues removes queue+channel pairs; at most 10
// per call, as the operation documents. A pair the profile does not hold is
// ignored, so a retried call succeeds.
func (s *Service) DisassociateRoutingProfileQueues(ctx context.Context, instanceID, profileID string, refs, manual []QueueChannel) error {
	if len(refs) == 0 && len(manual) == 0 {
		return Errorf(ErrInvalidParameter, "Give QueueReferences or ManualAssignmentQueueReferences to disassociate.")
	}
	if len(refs) > maxQueueConfigsPerCall || len(manual) > maxQueueConfigsPerCall {
		return Errorf(ErrInvalidParameter, "One request disassociates at most %d queue references of each kind.", maxQueueConfigsPerCall)
	}
	return s.modifyProfile(ctx, instanceID, profileID, func(_ Tx, _ string, rp *RoutingProfile) error {
		for _, r := range refs {
			r.QueueID = idFromARN(r.QueueID, "queue")
			if i := rp.queueConfig(r); i >= 0 {
				rp.QueueConfigs = slices.Delete(rp.QueueConfigs, i, i+1)
			}
		}
		for _, m := range manual {
			m.QueueID = idFromARN(m.QueueID, "queue")
			if i := slices.Index(rp.ManualAssignmentQueues, m); i >= 0 {
				rp.ManualAssignmentQueues = slices.Delete(rp.ManualAssignmentQueues, i, i+1)
			}
		}
		return nil
	})
}

// UpdateRoutingProfileQueues changes the priority and delay of
// configurations the profile already has.
func (s *Service) UpdateRoutingProfileQueues(ctx context.Context, instanceID, profileID string, configs []RoutingProfileQueueConfig) error {
	if len(configs) == 0 {
		return Errorf(ErrInvalidParameter, "QueueConfigs is empty; give the configurations to change.")
	}
	return s.modifyProfile(ctx, instanceID, profileID, func(tx Tx, iid string, rp *RoutingProfile) error {
		cs, err := checkQueueConfigs(tx, iid, configs)
		if err != nil {
			return err
		}
		for _, c := range cs {
			i := rp.queueConfig(QueueChannel{c.QueueID, c.Channel})
			if i < 0 {
				return Errorf(ErrInvalidRequest, "Queue %s is not in routing profile %q for channel %s; associate it with AssociateRoutingProfileQueues first.", c.QueueID, rp.Name, c.Channel)
			}
			rp.QueueConfigs[i] = c
		}
		return nil
	})
}

// UpdateRoutingProfileConcurrency replaces the profile's channels.
func (s *Service) UpdateRoutingProfileConcurrency(ctx context.Context, instanceID, profileID string, mcs []MediaConcurrency) error {
	checked, err := checkConcurrencies(mcs)
	if err != nil {
		return err
	}
	return s.modifyProfile(ctx, instanceID, profileID, func(_ Tx, _ string, rp *RoutingProfile) error {
		rp.MediaConcurrencies = checked
		return nil
	})
}

// UpdateRoutingProfileDefaultOutboundQueue points the profile's outbound
// calls at another standard queue.
func (s *Service) UpdateRoutingProfileDefaultOutboundQueue(ctx context.Context, instanceID, profileID, queueID string) error {
	return s.modifyProfile(ctx, instanceID, profileID, func(tx Tx, iid string, rp *RoutingProfile) error {
		id, err := standardQueue(tx, iid, queueID, "DefaultOutboundQueueId")
		if err != nil {
			return err
		}
		rp.DefaultOutboundQueueID = id
		return nil
	})
}

// UpdateRoutingProfileName changes the name and/or description.
func (s *Service) UpdateRoutingProfileName(ctx context.Context, instanceID, profileID string, name, description *string) error {
	if name == nil && description == nil {
		return Errorf(ErrInvalidRequest, "Give a Name, a Description or both to change.")
	}
	return s.modifyProfile(ctx, instanceID, profileID, func(_ Tx, _ string, rp *RoutingProfile) error {
		if name != nil {
			rp.Name = *name
		}
		if description != nil {
			rp.Description = *description
		}
		return nil
	})
}

// UpdateRoutingProfileAgentAvailabilityTimer sets how agents of the profile
// are ordered for routing.
func (s *Service) UpdateRoutingProfileAgentAvailabilityTimer(ctx context.Context, instanceID, profileID, timer string) error {
	if timer == "" {
		return Errorf(ErrInvalidParameter, "AgentAvailabilityTimer is required; use TIME_SINCE_LAST_ACTIVITY or TIME_SINCE_LAST_INBOUND.")
	}
	t, err := checkTimer(timer)
	if err != nil {
		return err
	}
	return s.modifyProfile(ctx, instanceID, profileID, func(_ Tx, _ string, rp *RoutingProfile) error {
		rp.AgentAvailabilityTimer = t
		return nil
	})
}

// DeleteRoutingProfile deletes a profile that is not the instance's default
// and that no user has.
func (s *Service) DeleteRoutingProfile(ctx context.Context, instanceID, profileID string) error {
	return s.remove(ctx, KindRoutingProfile, instanceID, profileID, func(tx Tx, iid, id string) error {
		rp, err := getDoc[RoutingProfile](tx, KindRoutingProfile, iid, id)
		if err != nil {
			return err
		}
		if rp.IsDefault {
			return Errorf(ErrResourceInUse, "Routing profile %q is the instance's default routing profile; it cannot be deleted.", rp.Name)
		}
		users, err := all[User](tx, KindUser, iid)
		if err != nil {
			return err
		}
		var names []string
		for _, u := range users {
			if u.RoutingProfileID == id {
				names = append(names, u.Username)
			}
		}
		if len(names) > 0 {
			return Errorf(ErrResourceInUse, "Routing profile %q is assigned to %d user(s) (%s); assign them another routing profile first.", rp.Name, len(names), clip(strings.Join(names, ", "), 200))
		}
		return nil
	})
}

// routingProfileSearchFields are the FieldName values the model lists for
// SearchRoutingProfiles.
var routingProfileSearchFields = map[string]func(*RoutingProfile) []string{
	"name":        func(p *RoutingProfile) []string { return []string{p.Name} },
	"description": func(p *RoutingProfile) []string { return []string{p.Description} },
	"resourceid":  func(p *RoutingProfile) []string { return []string{p.ID} },
	"associatedqueueids": func(p *RoutingProfile) []string {
		return distinctQueues(p.QueueConfigs, func(c RoutingProfileQueueConfig) string { return c.QueueID })
	},
}

// SearchRoutingProfiles returns one page of the profiles matching criteria
// and filter, and how many match in all.
func (s *Service) SearchRoutingProfiles(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]RoutingProfileInfo, string, int, error) {
	match, err := compileFields(criteria, routingProfileSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	var (
		out   []RoutingProfileInfo
		next  string
		total int
	)
	err = s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		var pg []RoutingProfile
		pg, next, total, err = searchDocs(tx, KindRoutingProfile, iid, page,
			func(p *RoutingProfile) bool { return match(p) && filter.matchTags(p.Tags) },
			func(p *RoutingProfile) string { return p.ID })
		if err != nil {
			return err
		}
		out, err = profileInfos(tx, iid, pg)
		return err
	})
	return out, next, total, err
}
