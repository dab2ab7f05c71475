package domain

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"
)

// User is an agent or other user of an instance. Its per-channel settings
// are kept in the channel-specific form of UpdateUserConfig; the legacy
// PhoneConfig is derived from and written to them.
type User struct {
	ID, Arn, InstanceID string
	Username            string
	// PasswordHash is a bcrypt hash; the password itself is never stored.
	PasswordHash     string `json:",omitempty"`
	Identity         UserIdentity
	DirectoryUserID  string
	HierarchyGroupID string
	// HierarchyPath is the IDs of the user's hierarchy group and its
	// ancestors, level 1 first (hierarchy.go).
	HierarchyPath      []string `json:",omitempty"`
	RoutingProfileID   string
	SecurityProfileIDs []string
	Channels           UserChannelConfig
	Proficiencies      []UserProficiency
	// ProficienciesModified is when the proficiencies last changed
	// (ListUserProficiencies reports it).
	ProficienciesModified time.Time
	// AgentQueueID is the user's agent queue (a Queue of type AGENT).
	AgentQueueID     string
	Tags             map[string]string
	CreatedTime      time.Time
	LastModifiedTime time.Time
}

// Usernames are unique without regard to case: agents log in with them.
func (u *User) recordKey() (string, string) { return u.ID, strings.ToLower(u.Username) }

// UserIdentity is UserIdentityInfo.
type UserIdentity struct {
	FirstName, LastName, Email, SecondaryEmail, Mobile string
}

// UserChannelConfig holds the per-channel settings of a user, each list in
// channel order with a channel at most once.
type UserChannelConfig struct {
	AutoAccept            []AutoAcceptSetting
	AfterContactWork      []AfterContactWorkSetting
	PhoneNumbers          []PhoneNumberSetting
	PersistentConnections []PersistentConnectionSetting
	VoiceEnhancements     []VoiceEnhancementSetting
}

// AutoAcceptSetting is AutoAcceptConfig.
type AutoAcceptSetting struct {
	Channel                      string
	AutoAccept                   bool
	AgentFirstCallbackAutoAccept *bool `json:",omitempty"`
}

// AfterContactWorkSetting is AfterContactWorkConfigPerChannel; limits are
// seconds, 0 = no limit.
type AfterContactWorkSetting struct {
	Channel                     string
	TimeLimit                   int
	AgentFirstCallbackTimeLimit *int `json:",omitempty"`
}

// PhoneNumberSetting is PhoneNumberConfig (VOICE only).
type PhoneNumberSetting struct {
	Channel, PhoneType, PhoneNumber string
}

// PersistentConnectionSetting is PersistentConnectionConfig (VOICE only).
type PersistentConnectionSetting struct {
	Channel              string
	PersistentConnection bool
}

// VoiceEnhancementSetting is VoiceEnhancementConfig (VOICE only).
type VoiceEnhancementSetting struct {
	Channel, Mode string
}

// PhoneConfig is the legacy UserPhoneConfig. nil members were not given.
type PhoneConfig struct {
	PhoneType                 string
	AutoAccept                *bool
	AfterContactWorkTimeLimit *int
	DeskPhoneNumber           string
	PersistentConnection      *bool
}

// maxACW is the documented maximum ACW timeout (24 days) in seconds.
const maxACW = 2_000_000

// PhoneConfig derives the legacy view from the VOICE settings.
func (u *User) PhoneConfig() PhoneConfig {
	c := u.Channels
	pc := PhoneConfig{PhoneType: "SOFT_PHONE"}
	for _, s := range c.PhoneNumbers {
		if s.Channel == "VOICE" {
			pc.PhoneType, pc.DeskPhoneNumber = s.PhoneType, s.PhoneNumber
		}
	}
	f := false
	pc.AutoAccept = &f
	for _, s := range c.AutoAccept {
		if s.Channel == "VOICE" {
			v := s.AutoAccept
			pc.AutoAccept = &v
		}
	}
	zero := 0
	pc.AfterContactWorkTimeLimit = &zero
	for _, s := range c.AfterContactWork {
		if s.Channel == "VOICE" {
			v := s.TimeLimit
			pc.AfterContactWorkTimeLimit = &v
		}
	}
	for _, s := range c.PersistentConnections {
		if s.Channel == "VOICE" {
			v := s.PersistentConnection
			pc.PersistentConnection = &v
		}
	}
	return pc
}

// setByChannel replaces the entries of list for the channels that updates
// name and keeps list in channel order.
func setByChannel[T any](list, updates []T, channel func(T) string) []T {
	for _, u := range updates {
		i := slices.IndexFunc(list, func(v T) bool { return channel(v) == channel(u) })
		if i >= 0 {
			list[i] = u
		} else {
			list = append(list, u)
		}
	}
	slices.SortFunc(list, func(a, b T) int { return slices.Index(channels, channel(a)) - slices.Index(channels, channel(b)) })
	return list
}

// checkChannelList checks that each entry names a valid channel, once, and
// that only VOICE is used where the setting exists for voice only.
func checkChannelList[T any](list []T, member string, channel func(T) string, voiceOnly bool) error {
	seen := map[string]bool{}
	for _, v := range list {
		ch := channel(v)
		if !slices.Contains(channels, ch) {
			return Errorf(ErrInvalidParameter, "%s: channel %q is not valid; use VOICE, CHAT, TASK or EMAIL.", member, clip(ch, 32))
		}
		if voiceOnly && ch != "VOICE" {
			return Errorf(ErrInvalidParameter, "%s: only the VOICE channel is supported, not %s.", member, ch)
		}
		if seen[ch] {
			return Errorf(ErrInvalidParameter, "%s lists channel %s twice; give each channel once.", member, ch)
		}
		seen[ch] = true
	}
	return nil
}

// checkChannelConfig checks the per-channel lists of a request.
func checkChannelConfig(c UserChannelConfig) error {
	if err := checkChannelList(c.AutoAccept, "AutoAcceptConfigs", func(s AutoAcceptSetting) string { return s.Channel }, false); err != nil {
		return err
	}
	for _, s := range c.AutoAccept {
		if s.AgentFirstCallbackAutoAccept != nil && s.Channel != "VOICE" {
			return Errorf(ErrInvalidParameter, "AutoAcceptConfigs: AgentFirstCallbackAutoAccept applies to the VOICE channel only, not %s.", s.Channel)
		}
	}
	if err := checkChannelList(c.AfterContactWork, "AfterContactWorkConfigs", func(s AfterContactWorkSetting) string { return s.Channel }, false); err != nil {
		return err
	}
	for _, s := range c.AfterContactWork {
		if s.TimeLimit < 0 || s.TimeLimit > maxACW {
			return Errorf(ErrInvalidParameter, "AfterContactWorkTimeLimit %d for %s is not valid; use 0 (no limit) to %d seconds.", s.TimeLimit, s.Channel, maxACW)
		}
		if l := s.AgentFirstCallbackTimeLimit; l != nil {
			if s.Channel != "VOICE" {
				return Errorf(ErrInvalidParameter, "AfterContactWorkConfigs: AgentFirstCallbackAfterContactWorkConfig applies to the VOICE channel only, not %s.", s.Channel)
			}
			if *l < 0 || *l > maxACW {
				return Errorf(ErrInvalidParameter, "Agent-first callback AfterContactWorkTimeLimit %d is not valid; use 0 (no limit) to %d seconds.", *l, maxACW)
			}
		}
	}
	if err := checkChannelList(c.PhoneNumbers, "PhoneNumberConfigs", func(s PhoneNumberSetting) string { return s.Channel }, true); err != nil {
		return err
	}
	for _, s := range c.PhoneNumbers {
		if err := checkPhoneType(s.PhoneType, s.PhoneNumber); err != nil {
			return err
		}
	}
	if err := checkChannelList(c.PersistentConnections, "PersistentConnectionConfigs", func(s PersistentConnectionSetting) string { return s.Channel }, true); err != nil {
		return err
	}
	if err := checkChannelList(c.VoiceEnhancements, "VoiceEnhancementConfigs", func(s VoiceEnhancementSetting) string { return s.Channel }, true); err != nil {
		return err
	}
	for _, s := range c.VoiceEnhancements {
		if s.Mode != "VOICE_ISOLATION" && s.Mode != "NOISE_SUPPRESSION" && s.Mode != "NONE" {
			return Errorf(ErrInvalidParameter, "VoiceEnhancementMode %q is not valid; use VOICE_ISOLATION, NOISE_SUPPRESSION or NONE.", clip(s.Mode, 32))
		}
	}
	return nil
}

// checkPhoneType: a desk phone needs the number to ring, in E.164.
func checkPhoneType(phoneType, number string) error {
	switch phoneType {
	case "SOFT_PHONE":
	case "DESK_PHONE":
		if number == "" {
			return Errorf(ErrInvalidParameter, "PhoneType DESK_PHONE needs the desk phone's number (DeskPhoneNumber or PhoneNumber) in E.164 format, e.g. +12065550100.")
		}
	default:
		return Errorf(ErrInvalidParameter, "PhoneType %q is not valid; use SOFT_PHONE or DESK_PHONE.", clip(phoneType, 32))
	}
	if number != "" && !e164.MatchString(number) {
		return Errorf(ErrInvalidParameter, "Desk phone number %q is not in E.164 format, e.g. +12065550100.", clip(number, 32))
	}
	return nil
}

// applyPhoneConfig writes the legacy PhoneConfig into per-channel settings:
// AutoAccept, the phone type and persistent connection are VOICE settings;
// the ACW limit applies to every channel, as UpdateUserPhoneConfig
// documents.
func applyPhoneConfig(c *UserChannelConfig, pc PhoneConfig) error {
	if pc.PhoneType != "" || pc.DeskPhoneNumber != "" {
		pt := pc.PhoneType
		if pt == "" {
			pt = "SOFT_PHONE"
		}
		if err := checkPhoneType(pt, pc.DeskPhoneNumber); err != nil {
			return err
		}
		c.PhoneNumbers = setByChannel(c.PhoneNumbers, []PhoneNumberSetting{{Channel: "VOICE", PhoneType: pt, PhoneNumber: pc.DeskPhoneNumber}}, func(s PhoneNumberSetting) string { return s.Channel })
	}
	if pc.AutoAccept != nil {
		c.AutoAccept = setByChannel(c.AutoAccept, []AutoAcceptSetting{{Channel: "VOICE", AutoAccept: *pc.AutoAccept}}, func(s AutoAcceptSetting) string { return s.Channel })
	}
	if l := pc.AfterContactWorkTimeLimit; l != nil {
		if *l < 0 || *l > maxACW {
			return Errorf(ErrInvalidParameter, "AfterContactWorkTimeLimit %d is not valid; use 0 (no limit) to %d seconds.", *l, maxACW)
		}
		var acw []AfterContactWorkSetting
		for _, ch := range channels {
			acw = append(acw, AfterContactWorkSetting{Channel: ch, TimeLimit: *l})
		}
		c.AfterContactWork = setByChannel(c.AfterContactWork, acw, func(s AfterContactWorkSetting) string { return s.Channel })
	}
	if pc.PersistentConnection != nil {
		c.PersistentConnections = setByChannel(c.PersistentConnections, []PersistentConnectionSetting{{Channel: "VOICE", PersistentConnection: *pc.PersistentConnection}}, func(s PersistentConnectionSetting) string { return s.Channel })
	}
	return nil
}

// mergeChannelConfig applies per-channel updates: each list given replaces
// the settings of the channels it names and keeps the others.
func mergeChannelConfig(c *UserChannelConfig, u UserChannelConfig) {
	c.AutoAccept = setByChannel(c.AutoAccept, u.AutoAccept, func(s AutoAcceptSetting) string { return s.Channel })
	c.AfterContactWork = setByChannel(c.AfterContactWork, u.AfterContactWork, func(s AfterContactWorkSetting) string { return s.Channel })
	c.PhoneNumbers = setByChannel(c.PhoneNumbers, u.PhoneNumbers, func(s PhoneNumberSetting) string { return s.Channel })
	c.PersistentConnections = setByChannel(c.PersistentConnections, u.PersistentConnections, func(s PersistentConnectionSetting) string { return s.Channel })
	c.VoiceEnhancements = setByChannel(c.VoiceEnhancements, u.VoiceEnhancements, func(s VoiceEnhancementSetting) string { return s.Channel })
}

// phoneConfigConflicts applies CreateUser's rule that a PhoneConfig member
// and the channel-specific list it corresponds to are not both given.
func phoneConfigConflicts(pc *PhoneConfig, c UserChannelConfig) error {
	if pc == nil {
		return nil
	}
	for _, x := range []struct {
		set       bool
		a, b      string
		listGiven bool
	}{
		{pc.AutoAccept != nil, "PhoneConfig.AutoAccept", "AutoAcceptConfigs", len(c.AutoAccept) > 0},
		{pc.AfterContactWorkTimeLimit != nil, "PhoneConfig.AfterContactWorkTimeLimit", "AfterContactWorkConfigs", len(c.AfterContactWork) > 0},
		{pc.PhoneType != "" || pc.DeskPhoneNumber != "", "PhoneConfig.PhoneType and DeskPhoneNumber", "PhoneNumberConfigs", len(c.PhoneNumbers) > 0},
		{pc.PersistentConnection != nil, "PhoneConfig.PersistentConnection", "PersistentConnectionConfigs", len(c.PersistentConnections) > 0},
	} {
		if x.set && x.listGiven {
			return Errorf(ErrInvalidRequest, "%s cannot be given together with %s; use %s alone (it is per channel).", x.a, x.b, x.b)
		}
	}
	return nil
}

// usernameChars are the characters the documentation allows in user names;
// userEmail is the documented SecondaryEmail pattern (e164 is phonenumber.go's).
var (
	usernameChars = regexp.MustCompile(`^[a-zA-Z0-9_\-.@]+$`)
	userEmail     = regexp.MustCompile(`^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$`)
)

// checkUsername applies CreateUser's documented rules: up to 20 characters
// (64 with SAML) from letters, digits and _-.@, with @ only in an email
// address form.
func checkUsername(name, idType string) error {
	limit := 20
	if idType == "SAML" {
		limit = 64
	}
	if name == "" || len(name) > limit {
		return Errorf(ErrInvalidParameter, "Username %q is not valid: use 1 to %d characters for an instance with %s identity management.", clip(name, 100), limit, idType)
	}
	if !usernameChars.MatchString(name) {
		return Errorf(ErrInvalidParameter, "Username %q is not valid: use letters, digits and _ - . @ only.", clip(name, 100))
	}
	if strings.Contains(name, "@") && !userEmail.MatchString(name) {
		return Errorf(ErrInvalidParameter, "Username %q is not valid: @ is allowed only in an email address form such as testuser@example.com.", clip(name, 100))
	}
	return nil
}

// checkPassword applies the model's pattern, which the generated validator
// cannot (RE2 has no lookahead): 8 to 64 characters without spaces,
// with at least one lower-case letter, one upper-case letter and one digit.
func checkPassword(pw string) error {
	var lower, upper, digit bool
	n := 0
	for _, r := range pw {
		n++
		switch {
		case unicode.IsSpace(r):
			return Errorf(ErrInvalidParameter, "Password must not contain spaces.")
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		}
	}
	if n < 8 || n > 64 || !lower || !upper || !digit {
		return Errorf(ErrInvalidParameter, "Password does not meet the requirements: 8 to 64 characters with at least one upper-case letter, one lower-case letter and one digit.")
	}
	return nil
}

// checkIdentity applies the identity rules of the instance's identity
// management type. FirstName and LastName are required with Connect-managed
// and SAML identities (the API documentation also names Email, but Connect
// accepts Connect-managed users without one, and so do we); SAML users
// carry no Email. Names must be in Unicode NFC.
func checkIdentity(id UserIdentity, idType string) error {
	if idType != "EXISTING_DIRECTORY" && (id.FirstName == "" || id.LastName == "") {
		return Errorf(ErrInvalidParameter, "IdentityInfo.FirstName and IdentityInfo.LastName are required for an instance with %s identity management.", idType)
	}
	if idType == "SAML" && id.Email != "" {
		return Errorf(ErrInvalidParameter, "IdentityInfo.Email cannot be set for an instance with SAML identity management; the identity provider holds it.")
	}
	if len([]rune(id.FirstName)) > 255 || len([]rune(id.LastName)) > 256 {
		return Errorf(ErrInvalidParameter, "IdentityInfo names are too long: FirstName holds at most 255 characters and LastName 256.")
	}
	for _, n := range []struct{ name, v string }{{"FirstName", id.FirstName}, {"LastName", id.LastName}} {
		if !norm.NFC.IsNormalString(n.v) {
			return Errorf(ErrInvalidParameter, "IdentityInfo.%s is not in Unicode Normalization Form C; compose its characters (NFC) and retry.", n.name)
		}
	}
	for _, e := range []struct{ name, v string }{{"Email", id.Email}, {"SecondaryEmail", id.SecondaryEmail}} {
		if e.v != "" && (len(e.v) > 265 || !userEmail.MatchString(e.v)) {
			return Errorf(ErrInvalidParameter, "IdentityInfo.%s %q is not a valid email address.", e.name, clip(e.v, 100))
		}
	}
	if id.Mobile != "" && !e164.MatchString(id.Mobile) {
		return Errorf(ErrInvalidParameter, "IdentityInfo.Mobile %q is not in E.164 format, e.g. +12065550100.", clip(id.Mobile, 32))
	}
	return nil
}

// checkSecurityProfiles checks that 1 to 10 profiles are given and exist,
// and returns their bare IDs without repeats.
func checkSecurityProfiles(tx ReadTx, iid string, ids []string) ([]string, error) {
	if len(ids) == 0 || len(ids) > 10 {
		return nil, Errorf(ErrInvalidParameter, "SecurityProfileIds has %d entries; give 1 to 10.", len(ids))
	}
	var out []string
	for _, ref := range ids {
		id := idFromARN(ref, "security-profile")
		if err := exists(tx, KindSecurityProfile, iid, id, "SecurityProfileIds"); err != nil {
			return nil, err
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// CreateUserParams are the inputs of CreateUser.
type CreateUserParams struct {
	Username           string
	Password           string
	Identity           UserIdentity
	PhoneConfig        *PhoneConfig
	Channels           UserChannelConfig
	DirectoryUserID    string
	SecurityProfileIDs []string
	RoutingProfileID   string
	HierarchyGroupID   string
	Tags               map[string]string
}

// passwordCost is bcrypt's work factor. It is the library's default; the
// hash is computed before the write transaction so that it does not hold
// the store's writer.
var passwordCost = bcrypt.DefaultCost

// CreateUser creates a user and the user's agent queue.
func (s *Service) CreateUser(ctx context.Context, instanceID string, p CreateUserParams) (*User, error) {
	if err := phoneConfigConflicts(p.PhoneConfig, p.Channels); err != nil {
		return nil, err
	}
	if err := checkChannelConfig(p.Channels); err != nil {
		return nil, err
	}
	// The identity type decides the password and name rules; it is read
	// before hashing so that a refused request costs no bcrypt work.
	inst, err := s.DescribeInstance(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	if err := checkUsername(p.Username, inst.IdentityManagementType); err != nil {
		return nil, err
	}
	if err := checkIdentity(p.Identity, inst.IdentityManagementType); err != nil {
		return nil, err
	}
	hash := ""
	switch {
	case inst.IdentityManagementType == "CONNECT_MANAGED" && p.Password == "":
		return nil, Errorf(ErrInvalidParameter, "Password is required: instance %s manages its users' identities (CONNECT_MANAGED).", inst.ID)
	case inst.IdentityManagementType != "CONNECT_MANAGED" && p.Password != "":
		return nil, Errorf(ErrInvalidParameter, "Password cannot be set: instance %s uses %s identity management, where passwords live in the identity provider.", inst.ID, inst.IdentityManagementType)
	case p.Password != "":
		if err := checkPassword(p.Password); err != nil {
			return nil, err
		}
		b, err := bcrypt.GenerateFromPassword([]byte(p.Password), passwordCost)
		if err != nil {
			return nil, err
		}
		hash = string(b)
	}
	var u *User
	err = s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, inst.ID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindUser, iid, s.quotas.Users, ErrLimitExceeded, "users"); err != nil {
			return err
		}
		rpID := idFromARN(p.RoutingProfileID, "routing-profile")
		if err := exists(tx, KindRoutingProfile, iid, rpID, "RoutingProfileId"); err != nil {
			return err
		}
		sps, err := checkSecurityProfiles(tx, iid, p.SecurityProfileIDs)
		if err != nil {
			return err
		}
		path, err := hierarchyPath(tx, iid, p.HierarchyGroupID)
		if err != nil {
			return err
		}
		now := s.now()
		u = &User{ID: s.newID(), InstanceID: iid, Username: p.Username, PasswordHash: hash, Identity: p.Identity,
			DirectoryUserID: p.DirectoryUserID, RoutingProfileID: rpID, SecurityProfileIDs: sps, Tags: p.Tags,
			CreatedTime: now, LastModifiedTime: now}
		u.setHierarchy(path)
		mergeChannelConfig(&u.Channels, p.Channels)
		if p.PhoneConfig != nil {
			if err := applyPhoneConfig(&u.Channels, *p.PhoneConfig); err != nil {
				return err
			}
		}
		u.Arn = s.newARN(KindUser, iid, u.ID)
		// Connect gives every user an agent queue; its ARN names the user.
		// The queue's ID is the user's ID (queues and users are different
		// kinds, so they do not collide) and it has no name of its own.
		q := &Queue{ID: u.ID, InstanceID: iid, Status: "ENABLED", QueueType: "AGENT", LastModifiedTime: now,
			Arn: s.resourceARN(iid, "queue", "agent/"+u.ID)}
		u.AgentQueueID = q.ID
		if err := putDoc(tx, KindQueue, iid, q.ID, "", now, now, q); err != nil {
			return err
		}
		return saveUser(tx, iid, u, now, now)
	})
	if err != nil {
		return nil, err
	}
	s.NotifyAgentChanged(ctx, instanceID, u.ID)
	return u, nil
}

// saveUser stores a user, turning a taken username into
// DuplicateResourceException with the name as the client spelled it.
func saveUser(tx Tx, iid string, u *User, created, updated time.Time) error {
	err := putDoc(tx, KindUser, iid, u.ID, strings.ToLower(u.Username), created, updated, u)
	if errors.Is(err, ErrStoreDuplicate) {
		return Errorf(ErrDuplicate, "User %q already exists in this instance (user names are unique regardless of case); choose another Username.", u.Username)
	}
	return err
}

// DescribeUser returns a user by ID or ARN.
func (s *Service) DescribeUser(ctx context.Context, instanceID, userID string) (*User, error) {
	return describe[User](s, ctx, KindUser, instanceID, userID)
}

// ListUsers pages through the instance's users.
func (s *Service) ListUsers(ctx context.Context, instanceID string, page Page) ([]User, string, error) {
	return listIn[User](s, ctx, KindUser, instanceID, page, nil)
}

// UpdateUserRoutingProfile assigns a user another routing profile.
func (s *Service) UpdateUserRoutingProfile(ctx context.Context, instanceID, userID, profileID string) error {
	return s.modifyUser(ctx, instanceID, userID, func(tx Tx, iid string, _ time.Time, u *User) error {
		id := idFromARN(profileID, "routing-profile")
		if err := exists(tx, KindRoutingProfile, iid, id, "RoutingProfileId"); err != nil {
			return err
		}
		u.RoutingProfileID = id
		return nil
	})
}

// UpdateUserSecurityProfiles replaces a user's security profiles.
func (s *Service) UpdateUserSecurityProfiles(ctx context.Context, instanceID, userID string, ids []string) error {
	return s.modifyUser(ctx, instanceID, userID, func(tx Tx, iid string, _ time.Time, u *User) error {
		sps, err := checkSecurityProfiles(tx, iid, ids)
		if err != nil {
			return err
		}
		u.SecurityProfileIDs = sps
		return nil
	})
}

// UpdateUserIdentityInfo replaces a user's identity information. With an
// existing directory, names and email belong to the directory.
func (s *Service) UpdateUserIdentityInfo(ctx context.Context, instanceID, userID string, id UserIdentity) error {
	inst, err := s.DescribeInstance(ctx, instanceID)
	if err != nil {
		return err
	}
	if inst.IdentityManagementType == "EXISTING_DIRECTORY" && (id.FirstName != "" || id.LastName != "" || id.Email != "") {
		return Errorf(ErrInvalidRequest, "FirstName, LastName and Email of users of instance %s are managed by its directory and cannot be changed here.", inst.ID)
	}
	if err := checkIdentity(id, inst.IdentityManagementType); err != nil {
		return err
	}
	return s.modifyUser(ctx, inst.ID, userID, func(_ Tx, _ string, _ time.Time, u *User) error {
		u.Identity = id
		return nil
	})
}

// UpdateUserPhoneConfig applies the legacy phone configuration.
func (s *Service) UpdateUserPhoneConfig(ctx context.Context, instanceID, userID string, pc PhoneConfig) error {
	return s.modifyUser(ctx, instanceID, userID, func(_ Tx, _ string, _ time.Time, u *User) error {
		return applyPhoneConfig(&u.Channels, pc)
	})
}

// UpdateUserConfig applies per-channel settings; channels not named keep
// theirs.
func (s *Service) UpdateUserConfig(ctx context.Context, instanceID, userID string, c UserChannelConfig) error {
	if len(c.AutoAccept)+len(c.AfterContactWork)+len(c.PhoneNumbers)+len(c.PersistentConnections)+len(c.VoiceEnhancements) == 0 {
		return Errorf(ErrInvalidParameter, "Give at least one of AutoAcceptConfigs, AfterContactWorkConfigs, PhoneNumberConfigs, PersistentConnectionConfigs or VoiceEnhancementConfigs.")
	}
	if err := checkChannelConfig(c); err != nil {
		return err
	}
	return s.modifyUser(ctx, instanceID, userID, func(_ Tx, _ string, _ time.Time, u *User) error {
		mergeChannelConfig(&u.Channels, c)
		return nil
	})
}

// DeleteUser deletes a user with the user's agent queue and status.
// Connect leaves quick connects to the user in place (the documentation
// tells callers to delete them), and so do we.
func (s *Service) DeleteUser(ctx context.Context, instanceID, userID string) error {
	err := s.remove(ctx, KindUser, instanceID, userID, func(tx Tx, iid, id string) error {
		u, err := getDoc[User](tx, KindUser, iid, id)
		if err != nil {
			return err
		}
		if u.AgentQueueID != "" {
			if err := tx.DeleteRecord(KindQueue, iid, u.AgentQueueID); err != nil && !isNotFound(err) {
				return err
			}
		}
		if err := tx.DeleteRecord(KindUserStatus, iid, id); err != nil && !isNotFound(err) {
			return err
		}
		return nil
	})
	if err == nil {
		s.NotifyAgentChanged(ctx, instanceID, userID)
	}
	return err
}

// AuthenticateUser checks a Connect-managed user's password, for the agent
// API's login. A wrong name and a wrong password give the same answer so
// that the answer does not reveal which names exist.
func (s *Service) AuthenticateUser(ctx context.Context, instanceID, username, password string) (*User, error) {
	var u *User
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		u, err = getDocByName[User](tx, KindUser, iid, strings.ToLower(username))
		if isNotFound(err) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	denied := Errorf(ErrAccessDenied, "The user name or password is not correct.")
	if u == nil || u.PasswordHash == "" {
		// Spend the same time as a real check so timing does not tell.
		_ = bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z1Hk6B1bXX/5UQJrG5fP2fVW"), []byte(password))
		return nil, denied
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil, denied
	}
	return u, nil
}

// UserSearchCriteria is SearchUsers' criteria: a leaf (String, Proficiency
// or HierarchyGroup), all of And, or any of Or.
type UserSearchCriteria struct {
	Or, And        []UserSearchCriteria
	String         *StringCondition
	Proficiency    *ProficiencyCondition
	HierarchyGroup *HierarchyGroupCondition
}

// ProficiencyCondition is a ListCondition over a user's proficiencies: it
// matches a user who has one proficiency meeting every condition.
type ProficiencyCondition struct {
	Strings []StringCondition // FieldName name or value
	Numbers []NumberCondition // FieldName limit (the level)
}

// NumberCondition compares a number with MinValue and/or MaxValue.
type NumberCondition struct {
	FieldName      string
	Min, Max       *int
	ComparisonType string
}

// HierarchyGroupCondition matches users in a hierarchy group.
type HierarchyGroupCondition struct {
	Value, MatchType string
}

// UserSearchFilter is SearchUsers' SearchFilter.
type UserSearchFilter struct {
	Tags      *TagFilter
	Attribute *UserAttributeFilter
}

// UserAttributeFilter is ControlPlaneUserAttributeFilter: any of Or, all of
// And, or a single tag or hierarchy condition.
type UserAttributeFilter struct {
	Or             []UserAttributeAnd
	And            *UserAttributeAnd
	Tag            *TagCondition
	HierarchyGroup *HierarchyGroupCondition
}

// UserAttributeAnd is AttributeAndCondition.
type UserAttributeAnd struct {
	Tags           []TagCondition
	HierarchyGroup *HierarchyGroupCondition
}

// userSearchFields are the StringCondition FieldName values the model
// lists for SearchUsers.
var userSearchFields = map[string]func(*User) []string{
	"username":          func(u *User) []string { return []string{u.Username} },
	"firstname":         func(u *User) []string { return []string{u.Identity.FirstName} },
	"lastname":          func(u *User) []string { return []string{u.Identity.LastName} },
	"routingprofileid":  func(u *User) []string { return []string{u.RoutingProfileID} },
	"securityprofileid": func(u *User) []string { return u.SecurityProfileIDs },
	"resourceid":        func(u *User) []string { return []string{u.ID} },
}

// match reports whether u is in the condition's group (EXACT, the
// default) or in it or under it (WITH_CHILD_GROUPS).
func (c *HierarchyGroupCondition) match(u *User) bool {
	return c == nil || u.inHierarchy(idFromARN(c.Value, "agent-group"), c.MatchType == "WITH_CHILD_GROUPS")
}

func compileNumber(c NumberCondition) (func(float64) bool, error) {
	if !strings.EqualFold(c.FieldName, "limit") {
		return nil, Errorf(ErrInvalidParameter, "NumberCondition FieldName %q cannot be searched; use limit (the proficiency level).", clip(c.FieldName, 64))
	}
	need := func(p *int, what string) (float64, error) {
		if p == nil {
			return 0, Errorf(ErrInvalidParameter, "NumberCondition %s needs %s.", c.ComparisonType, what)
		}
		return float64(*p), nil
	}
	var v, hi float64
	var err error
	switch c.ComparisonType {
	case "GREATER_OR_EQUAL", "GREATER":
		v, err = need(c.Min, "MinValue")
	case "LESSER_OR_EQUAL", "LESSER":
		v, err = need(c.Max, "MaxValue")
	case "EQUAL", "NOT_EQUAL":
		if c.Min == nil {
			v, err = need(c.Max, "MinValue or MaxValue")
		} else {
			v = float64(*c.Min)
		}
	case "RANGE":
		if v, err = need(c.Min, "MinValue"); err == nil {
			hi, err = need(c.Max, "MaxValue")
		}
	default:
		return nil, Errorf(ErrInvalidParameter, "NumberCondition ComparisonType %q is not valid.", clip(c.ComparisonType, 32))
	}
	if err != nil {
		return nil, err
	}
	return func(x float64) bool {
		switch c.ComparisonType {
		case "GREATER_OR_EQUAL":
			return x >= v
		case "GREATER":
			return x > v
		case "LESSER_OR_EQUAL":
			return x <= v
		case "LESSER":
			return x < v
		case "EQUAL":
			return x == v
		case "NOT_EQUAL":
			return x != v
		}
		return x >= v && x <= hi
	}, nil
}

func compileProficiency(c *ProficiencyCondition) (func(*User) bool, error) {
	var tests []func(UserProficiency) bool
	for _, sc := range c.Strings {
		cmp, err := stringComparison(&sc)
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(sc.FieldName) {
		case "name":
			tests = append(tests, func(p UserProficiency) bool { return cmp(p.AttributeName) })
		case "value":
			tests = append(tests, func(p UserProficiency) bool { return cmp(p.AttributeValue) })
		default:
			return nil, Errorf(ErrInvalidParameter, "ListCondition StringCondition FieldName %q cannot be searched; use name or value.", clip(sc.FieldName, 64))
		}
	}
	for _, nc := range c.Numbers {
		cmp, err := compileNumber(nc)
		if err != nil {
			return nil, err
		}
		tests = append(tests, func(p UserProficiency) bool { return cmp(p.Level) })
	}
	return func(u *User) bool {
		return slices.ContainsFunc(u.Proficiencies, func(p UserProficiency) bool {
			for _, t := range tests {
				if !t(p) {
					return false
				}
			}
			return true
		})
	}, nil
}

func compileUserCriteria(c *UserSearchCriteria) (func(*User) bool, error) {
	if c == nil {
		return func(*User) bool { return true }, nil
	}
	set := 0
	for _, b := range []bool{c.String != nil, c.Proficiency != nil, c.HierarchyGroup != nil, len(c.And) > 0, len(c.Or) > 0} {
		if b {
			set++
		}
	}
	if set > 1 {
		return nil, Errorf(ErrInvalidParameter, "A SearchCriteria node holds one of StringCondition, ListCondition, HierarchyGroupCondition, AndConditions or OrConditions; nest them to combine.")
	}
	switch {
	case c.String != nil:
		return compileFields(&SearchCriteria{String: c.String}, userSearchFields)
	case c.Proficiency != nil:
		return compileProficiency(c.Proficiency)
	case c.HierarchyGroup != nil:
		return c.HierarchyGroup.match, nil
	case len(c.And) > 0 || len(c.Or) > 0:
		list, anyOf := c.And, false
		if len(c.Or) > 0 {
			list, anyOf = c.Or, true
		}
		subs := make([]func(*User) bool, 0, len(list))
		for i := range list {
			m, err := compileUserCriteria(&list[i])
			if err != nil {
				return nil, err
			}
			subs = append(subs, m)
		}
		return combine(subs, anyOf), nil
	}
	return func(*User) bool { return true }, nil
}

func (f *UserSearchFilter) match(u *User) bool {
	if f == nil {
		return true
	}
	if !f.Tags.matchTags(u.Tags) {
		return false
	}
	a := f.Attribute
	if a == nil {
		return true
	}
	andMatch := func(c UserAttributeAnd) bool {
		return (&TagFilter{And: c.Tags}).matchTags(u.Tags) && c.HierarchyGroup.match(u)
	}
	if a.Tag != nil && !(&TagFilter{Tag: a.Tag}).matchTags(u.Tags) {
		return false
	}
	if !a.HierarchyGroup.match(u) {
		return false
	}
	if a.And != nil && !andMatch(*a.And) {
		return false
	}
	if len(a.Or) > 0 {
		return slices.ContainsFunc(a.Or, andMatch)
	}
	return true
}

// SearchUsers returns one page of the users matching criteria and filter,
// and how many match in all.
func (s *Service) SearchUsers(ctx context.Context, instanceID string, criteria *UserSearchCriteria, filter *UserSearchFilter, page Page) ([]User, string, int, error) {
	match, err := compileUserCriteria(criteria)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindUser, instanceID, page, func(u *User) bool { return match(u) && filter.match(u) },
		func(u *User) string { return u.ID })
}

// ChannelSettings are a user's settings for one channel, for routing.
type ChannelSettings struct {
	AutoAccept bool
	// ACWTimeLimit is the after-contact-work limit; 0 means the agent
	// ends ACW themselves.
	ACWTimeLimit time.Duration
}

// AgentSnapshot is what the routing runtime needs to know about one user.
type AgentSnapshot struct {
	UserID, Username string
	AgentQueueID     string
	// RoutingProfile is a copy of the user's profile: QueueConfigs,
	// MediaConcurrencies (with CrossChannelBehavior) and
	// AgentAvailabilityTimer drive routing.
	RoutingProfile RoutingProfile
	Proficiencies  []UserProficiency
	Status         CurrentStatus
	// Channels has an entry for each of VOICE, CHAT, TASK and EMAIL.
	Channels map[string]ChannelSettings
	// HierarchyPath is User.HierarchyPath (GetCurrentUserData filters by it).
	HierarchyPath []string
}

// AgentsForRouting returns a snapshot of the users of an instance, in ID
// order, read in one transaction. With routableOnly it returns only users
// whose current status is ROUTABLE (Available): the candidates for a new
// contact. Users who never set a status are Offline.
func (s *Service) AgentsForRouting(ctx context.Context, instanceID string, routableOnly bool) ([]AgentSnapshot, error) {
	var out []AgentSnapshot
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		statuses, err := statusIndex(tx, iid)
		if err != nil {
			return err
		}
		recs, err := all[UserStatusRecord](tx, KindUserStatus, iid)
		if err != nil {
			return err
		}
		current := make(map[string]*UserStatusRecord, len(recs))
		for i := range recs {
			current[recs[i].UserID] = &recs[i]
		}
		profiles, err := all[RoutingProfile](tx, KindRoutingProfile, iid)
		if err != nil {
			return err
		}
		byID := make(map[string]RoutingProfile, len(profiles))
		for _, p := range profiles {
			byID[p.ID] = p
		}
		users, err := all[User](tx, KindUser, iid)
		if err != nil {
			return err
		}
		for i := range users {
			u := &users[i]
			st := statuses.current(u, current[u.ID])
			if routableOnly && st.Type != "ROUTABLE" {
				continue
			}
			out = append(out, AgentSnapshot{UserID: u.ID, Username: u.Username, AgentQueueID: u.AgentQueueID,
				RoutingProfile: byID[u.RoutingProfileID], Proficiencies: u.Proficiencies, Status: st, Channels: u.channelSettings(),
				HierarchyPath: u.HierarchyPath})
		}
		return nil
	})
	return out, err
}

func (u *User) channelSettings() map[string]ChannelSettings {
	out := make(map[string]ChannelSettings, len(channels))
	for _, ch := range channels {
		out[ch] = ChannelSettings{}
	}
	for _, a := range u.Channels.AutoAccept {
		cs := out[a.Channel]
		cs.AutoAccept = a.AutoAccept
		out[a.Channel] = cs
	}
	for _, a := range u.Channels.AfterContactWork {
		cs := out[a.Channel]
		cs.ACWTimeLimit = time.Duration(a.TimeLimit) * time.Second
		out[a.Channel] = cs
	}
	return out
}

// checkStandardQueueQuota is CreateQueue's quota check. Agent queues are
// stored as queues but do not count against the quota of queues; every
// user has exactly one, so the standard queues are the queues less the
// users.
func checkStandardQueueQuota(tx ReadTx, iid string, limit int) error {
	queues, err := tx.CountRecords(KindQueue, iid)
	if err != nil {
		return err
	}
	users, err := tx.CountRecords(KindUser, iid)
	if err != nil {
		return err
	}
	if n := queues - users; n >= limit {
		return Errorf(ErrLimitExceeded, "The instance already has %d standard queues, its quota; delete one, or start the server with --quota queues=N.", n)
	}
	return nil
}
