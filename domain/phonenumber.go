package domain

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// Phone numbers are account-level records (InstanceID "") named by their
// E.164 number, so the store's name index makes a number claimable once.

// ClaimPhoneNumberParams are the inputs of ClaimPhoneNumber.
type ClaimPhoneNumberParams struct {
	ClientToken string
	TargetArn   string
	InstanceID  string
	Number      string
	Description string
	Tags        map[string]string
}

var e164 = regexp.MustCompile(`^\+[1-9]\d{1,14}$`)

// callingCodes maps international calling codes to ISO country codes. Where
// a code is shared (+1, +7) the largest country is used: a number's real
// country needs a numbering-plan database, which a local pool does not need.
var callingCodes = map[string]string{
	"1": "US", "7": "RU", "20": "EG", "27": "ZA", "30": "GR", "31": "NL", "32": "BE", "33": "FR", "34": "ES",
	"36": "HU", "39": "IT", "40": "RO", "41": "CH", "43": "AT", "44": "GB", "45": "DK", "46": "SE", "47": "NO",
	"48": "PL", "49": "DE", "51": "PE", "52": "MX", "53": "CU", "54": "AR", "55": "BR", "56": "CL", "57": "CO",
	"58": "VE", "60": "MY", "61": "AU", "62": "ID", "63": "PH", "64": "NZ", "65": "SG", "66": "TH", "81": "JP",
	"82": "KR", "84": "VN", "86": "CN", "90": "TR", "91": "IN", "92": "PK", "94": "LK", "212": "MA", "234": "NG",
	"254": "KE", "351": "PT", "352": "LU", "353": "IE", "354": "IS", "356": "MT", "358": "FI", "370": "LT",
	"371": "LV", "372": "EE", "380": "UA", "385": "HR", "386": "SI", "420": "CZ", "421": "SK", "852": "HK",
	"886": "TW", "966": "SA", "971": "AE", "972": "IL", "974": "QA",
}

// countryOf returns the ISO country of an E.164 number by the longest
// calling code that prefixes it (codes are 1 to 3 digits).
func countryOf(number string) (string, bool) {
	digits := strings.TrimPrefix(number, "+")
	for n := 3; n >= 1; n-- {
		if len(digits) > n {
			if cc, ok := callingCodes[digits[:n]]; ok {
				return cc, true
			}
		}
	}
	return "", false
}

// tollFreeNANP are the North American toll-free area codes.
var tollFreeNANP = []string{"800", "833", "844", "855", "866", "877", "888"}

// numberType is TOLL_FREE for North American toll-free numbers and DID
// otherwise.
func numberType(number string) string {
	for _, p := range tollFreeNANP {
		if strings.HasPrefix(number, "+1"+p) {
			return "TOLL_FREE"
		}
	}
	return "DID"
}

// phoneIDFrom accepts a phone number ID or its ARN (account-level
// …:phone-number/{id}, or the legacy form under an instance).
func phoneIDFrom(v string) string {
	if strings.HasPrefix(v, "arn:") {
		if i := strings.LastIndex(v, "phone-number/"); i >= 0 {
			return v[i+len("phone-number/"):]
		}
	}
	return v
}

// claimTarget resolves TargetArn / InstanceId to an instance of this server.
// Traffic distribution groups do not exist here.
func (s *Service) claimTarget(tx ReadTx, targetArn, instanceID string) (string, error) {
	if targetArn == "" && instanceID == "" {
		return "", Errorf(ErrInvalidParameter, "Give TargetArn (an instance ARN) or InstanceId to say where the number is claimed.")
	}
	if targetArn != "" {
		if !strings.HasPrefix(targetArn, "arn:") || !strings.Contains(targetArn, ":instance/") {
			return "", Errorf(ErrInvalidParameter, "TargetArn %q is not an instance ARN; Switchboard has no traffic distribution groups, use arn:aws:connect:{region}:{account}:instance/{id}.", clip(targetArn, 200))
		}
		if instanceID != "" && instanceIDFrom(targetArn) != instanceIDFrom(instanceID) {
			return "", Errorf(ErrInvalidParameter, "TargetArn and InstanceId name different instances; give one of them.")
		}
		instanceID = targetArn
	}
	return s.resolveInstance(tx, instanceID)
}

// ClaimPhoneNumber claims any E.164 number into the local pool and to an
// instance.
func (s *Service) ClaimPhoneNumber(ctx context.Context, p ClaimPhoneNumberParams) (*PhoneNumber, error) {
	if !e164.MatchString(p.Number) {
		return nil, Errorf(ErrInvalidParameter, "PhoneNumber %q is not in E.164 format; use + then the country code and number, e.g. +12065550100.", clip(p.Number, 32))
	}
	country, ok := countryOf(p.Number)
	if !ok {
		return nil, Errorf(ErrInvalidParameter, "PhoneNumber %s has a country calling code Switchboard does not know; use a number of a supported country (e.g. +1, +44, +49).", p.Number)
	}
	var pn *PhoneNumber
	tok := newClientToken("ClaimPhoneNumber", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.claimTarget(tx, p.TargetArn, p.InstanceID)
		if err != nil {
			return err
		}
		now := s.now()
		id := s.newID()
		if pn, err = claimOrReplay[PhoneNumber](s, tx, KindPhoneNumber, "", tok, id, now); err != nil || pn != nil {
			return err
		}
		if _, err := tx.GetRecordByName(KindPhoneNumber, "", p.Number); err == nil {
			return Errorf(ErrResourceConflict, "Phone number %s is already claimed; release it first or claim another number.", p.Number)
		} else if !isNotFound(err) {
			return err
		}
		claimed, err := s.instanceNumbers(tx, iid)
		if err != nil {
			return err
		}
		if len(claimed) >= s.quotas.PhoneNumbers {
			return Errorf(ErrQuotaExceeded, "Instance %s already has %d phone numbers, its quota; release one, or start the server with --quota phone-numbers=N.", iid, len(claimed))
		}
		pn = &PhoneNumber{ID: id, Arn: s.arn("phone-number/" + id), Number: p.Number, CountryCode: country,
			Type: numberType(p.Number), Description: p.Description, TargetArn: s.instanceARN(iid), InstanceID: iid,
			Status: "CLAIMED", Tags: p.Tags}
		if err := putDoc(tx, KindPhoneNumber, "", id, pn.Number, now, now, pn); err != nil {
			if errors.Is(err, ErrStoreDuplicate) {
				return Errorf(ErrResourceConflict, "Phone number %s is already claimed; release it first or claim another number.", p.Number)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pn, nil
}

// instanceNumbers lists the numbers claimed to an instance.
func (s *Service) instanceNumbers(tx ReadTx, iid string) ([]PhoneNumber, error) {
	every, err := all[PhoneNumber](tx, KindPhoneNumber, "")
	if err != nil {
		return nil, err
	}
	out := every[:0]
	for _, pn := range every {
		if pn.InstanceID == iid {
			out = append(out, pn)
		}
	}
	return out, nil
}

// getPhoneNumber loads a number by ID or ARN.
func getPhoneNumber(tx ReadTx, ref string) (*PhoneNumber, error) {
	pn, err := getDoc[PhoneNumber](tx, KindPhoneNumber, "", phoneIDFrom(ref))
	if isNotFound(err) {
		return nil, Errorf(ErrNotFound, "Phone number %s not found; ListPhoneNumbersV2 shows the claimed numbers.", clip(ref, 200))
	}
	return pn, err
}

// DescribePhoneNumber returns a claimed number by ID or ARN.
func (s *Service) DescribePhoneNumber(ctx context.Context, ref string) (*PhoneNumber, error) {
	var pn *PhoneNumber
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		pn, err = getPhoneNumber(tx, ref)
		return err
	})
	return pn, err
}

// PhoneNumberFilter selects numbers for ListPhoneNumbersV2; empty members
// match all.
type PhoneNumberFilter struct {
	TargetArn, InstanceID string
	CountryCodes, Types   []string
	Prefix                string
}

// ListPhoneNumbersV2 pages through the claimed numbers matching f.
func (s *Service) ListPhoneNumbersV2(ctx context.Context, f PhoneNumberFilter, page Page) ([]PhoneNumber, string, error) {
	prefix := f.Prefix
	if prefix != "" && !strings.HasPrefix(prefix, "+") {
		prefix = "+" + prefix
	}
	countries, types := oneOf(f.CountryCodes), oneOf(f.Types)
	var out []PhoneNumber
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		iid := ""
		if f.TargetArn != "" || f.InstanceID != "" {
			var err error
			if iid, err = s.claimTarget(tx, f.TargetArn, f.InstanceID); err != nil {
				return err
			}
		}
		keep := func(pn *PhoneNumber) bool {
			return (iid == "" || pn.InstanceID == iid) && (countries == nil || countries(pn.CountryCode)) &&
				(types == nil || types(pn.Type)) && strings.HasPrefix(pn.Number, prefix)
		}
		var err error
		out, next, err = listWhere(tx, KindPhoneNumber, "", page, keep)
		return err
	})
	return out, next, err
}

// ReleasePhoneNumber returns a number to the pool unless a queue uses it as
// its outbound caller ID. Releasing again with the same ClientToken succeeds.
func (s *Service) ReleasePhoneNumber(ctx context.Context, ref, clientToken string) error {
	id := phoneIDFrom(ref)
	tok := newClientToken("ReleasePhoneNumber", clientToken, id)
	return s.update(ctx, func(tx Tx) error {
		now := s.now()
		prior, err := s.claimToken(tx, "", tok, id, now)
		if err != nil {
			return err
		}
		if prior != "" {
			return nil
		}
		pn, err := getPhoneNumber(tx, ref)
		if err != nil {
			return err
		}
		queues, err := all[Queue](tx, KindQueue, pn.InstanceID)
		if err != nil {
			return err
		}
		for _, q := range queues {
			if q.OutboundCallerIDNumber == pn.ID {
				return Errorf(ErrResourceInUse, "Phone number %s is the outbound caller ID of queue %q (%s); change the queue's outbound caller config first.", pn.Number, q.Name, q.ID)
			}
		}
		return tx.DeleteRecord(KindPhoneNumber, "", pn.ID)
	})
}

// AssociatePhoneNumberContactFlow makes flowID the flow that contacts
// arriving on the number start in. The number must be claimed to the
// instance and the flow be one of its inbound (CONTACT_FLOW) flows, as in
// Connect; associating again replaces the flow.
func (s *Service) AssociatePhoneNumberContactFlow(ctx context.Context, phoneRef, instanceID, flowRef string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		rec, pn, err := phoneNumberOf(tx, phoneRef, iid)
		if err != nil {
			return err
		}
		fid, err := s.flowID(tx, iid, flowRef)
		if err != nil {
			return err
		}
		f, err := getDoc[ContactFlow](tx, KindContactFlow, iid, fid)
		if err != nil {
			return err
		}
		if f.Type != "CONTACT_FLOW" {
			return Errorf(ErrInvalidParameter, "Flow %q is a %s flow; a phone number takes an inbound flow (type CONTACT_FLOW).", f.Name, f.Type)
		}
		pn.ContactFlowID = fid
		return putDoc(tx, KindPhoneNumber, "", pn.ID, pn.Number, rec.CreatedAt, s.now(), pn)
	})
}

// DisassociatePhoneNumberContactFlow removes the number's flow; a number
// without one is left as it is.
func (s *Service) DisassociatePhoneNumberContactFlow(ctx context.Context, phoneRef, instanceID string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		rec, pn, err := phoneNumberOf(tx, phoneRef, iid)
		if err != nil || pn.ContactFlowID == "" {
			return err
		}
		pn.ContactFlowID = ""
		return putDoc(tx, KindPhoneNumber, "", pn.ID, pn.Number, rec.CreatedAt, s.now(), pn)
	})
}

// phoneNumberOf reads a number claimed to instance iid with its record
// (for the creation time a rewrite keeps).
func phoneNumberOf(tx ReadTx, ref, iid string) (*Record, *PhoneNumber, error) {
	pn, err := getPhoneNumber(tx, ref)
	if err != nil {
		return nil, nil, err
	}
	if pn.InstanceID != iid {
		return nil, nil, Errorf(ErrNotFound, "Phone number %s is not claimed to instance %s; ListPhoneNumbersV2 with its InstanceId shows the numbers it has.", pn.Number, iid)
	}
	rec, err := tx.GetRecord(KindPhoneNumber, "", pn.ID)
	if err != nil {
		return nil, nil, err
	}
	return &rec, pn, nil
}

// UpdatePhoneNumber moves a claimed number to another instance (TargetArn
// or InstanceId). As in Connect, its inbound flow stays behind: the number
// arrives without one. A number a queue of its instance uses as outbound
// caller ID cannot move.
func (s *Service) UpdatePhoneNumber(ctx context.Context, ref, targetArn, instanceID, clientToken string) (*PhoneNumber, error) {
	var pn *PhoneNumber
	tok := newClientToken("UpdatePhoneNumber", clientToken, []string{phoneIDFrom(ref), targetArn, instanceID})
	err := s.update(ctx, func(tx Tx) error {
		var err error
		if pn, err = getPhoneNumber(tx, ref); err != nil {
			return err
		}
		iid, err := s.claimTarget(tx, targetArn, instanceID)
		if err != nil {
			return err
		}
		now := s.now()
		prior, err := s.claimToken(tx, "", tok, pn.ID, now)
		if err != nil || prior != "" || iid == pn.InstanceID {
			return err
		}
		queues, err := all[Queue](tx, KindQueue, pn.InstanceID)
		if err != nil {
			return err
		}
		for _, q := range queues {
			if q.OutboundCallerIDNumber == pn.ID {
				return Errorf(ErrResourceInUse, "Phone number %s is the outbound caller ID of queue %q (%s); change the queue's outbound caller config before moving the number.", pn.Number, q.Name, q.ID)
			}
		}
		rec, err := tx.GetRecord(KindPhoneNumber, "", pn.ID)
		if err != nil {
			return err
		}
		pn.InstanceID, pn.TargetArn, pn.ContactFlowID, pn.SMSFlowID = iid, s.instanceARN(iid), "", ""
		return putDoc(tx, KindPhoneNumber, "", pn.ID, pn.Number, rec.CreatedAt, now, pn)
	})
	if err != nil {
		return nil, err
	}
	return pn, nil
}

// UpdatePhoneNumberMetadata sets a number's description.
func (s *Service) UpdatePhoneNumberMetadata(ctx context.Context, ref string, description *string, clientToken string) error {
	tok := newClientToken("UpdatePhoneNumberMetadata", clientToken, []any{phoneIDFrom(ref), description})
	return s.update(ctx, func(tx Tx) error {
		pn, err := getPhoneNumber(tx, ref)
		if err != nil {
			return err
		}
		now := s.now()
		prior, err := s.claimToken(tx, "", tok, pn.ID, now)
		if err != nil || prior != "" || description == nil {
			return err
		}
		rec, err := tx.GetRecord(KindPhoneNumber, "", pn.ID)
		if err != nil {
			return err
		}
		pn.Description = *description
		return putDoc(tx, KindPhoneNumber, "", pn.ID, pn.Number, rec.CreatedAt, now, pn)
	})
}

// ListPhoneNumbers pages through the numbers claimed to an instance (the
// first version of the operation; ListPhoneNumbersV2 is its successor).
func (s *Service) ListPhoneNumbers(ctx context.Context, instanceID string, types, countries []string, page Page) ([]PhoneNumber, string, error) {
	return s.ListPhoneNumbersV2(ctx, PhoneNumberFilter{InstanceID: instanceID, Types: types, CountryCodes: countries}, page)
}

// LegacyPhoneNumberARN is the instance-scoped ARN ListPhoneNumbers reports,
// as Connect does (it does not name the number for other operations).
func (s *Service) LegacyPhoneNumberARN(pn *PhoneNumber) string {
	return s.resourceARN(pn.InstanceID, "phone-number", pn.ID)
}

// AvailableNumber is a number SearchAvailablePhoneNumbers offers.
type AvailableNumber struct {
	Number, CountryCode, Type string
}

// maxCandidates bounds how many numbers one search walks through.
const maxCandidates = 100000

// SearchAvailablePhoneNumbers offers numbers to claim. The local pool has
// every number, so the offers are made up: numbers of the country and
// type, beginning with the prefix when one is given (else a fictional
// 555 exchange for +1, and "+<code>20" elsewhere), counted up from …0100
// and skipping those already claimed. Only DID and TOLL_FREE (toll-free
// exists for +1 only) have numbers.
func (s *Service) SearchAvailablePhoneNumbers(ctx context.Context, targetArn, instanceID, country, typ, prefix string, page Page) ([]AvailableNumber, string, error) {
	code := ""
	for cc, iso := range callingCodes {
		if iso == country && (code == "" || len(cc) < len(code)) {
			code = cc
		}
	}
	if code == "" {
		return nil, "", Errorf(ErrInvalidParameter, "Switchboard has no numbers for country %s; use a country of a supported calling code (e.g. US, GB, DE).", clip(country, 8))
	}
	base := strings.TrimPrefix(prefix, "+")
	if prefix != "" && !strings.HasPrefix(base, code) {
		return nil, "", Errorf(ErrInvalidParameter, "PhoneNumberPrefix %s is not a number of %s, whose numbers begin +%s.", clip(prefix, 16), country, code)
	}
	length := len(code) + 9 // digits of the whole number
	if code == "1" {
		length = 11
	}
	switch {
	case base != "":
	case typ == "TOLL_FREE" && code == "1":
		base = "1800555"
	case code == "1":
		base = "1206555"
	default:
		base = code + "20"
	}
	tok, err := decodePageToken(page.NextToken)
	if err != nil {
		return nil, "", err
	}
	page.Default = 10
	limit := page.limit()
	var out []AvailableNumber
	next := ""
	err = s.view(ctx, func(tx ReadTx) error {
		if _, err := s.claimTarget(tx, targetArn, instanceID); err != nil {
			return err
		}
		if (typ != "DID" && typ != "TOLL_FREE") || (typ == "TOLL_FREE" && code != "1") || len(base) >= length {
			return nil
		}
		free := length - len(base)
		skipped := 0
		for i := 100; i < maxCandidates && len(out) <= limit; i++ {
			digits := strconv.Itoa(i)
			if len(digits) > free {
				break
			}
			number := "+" + base + strings.Repeat("0", free-len(digits)) + digits
			if numberType(number) != typ {
				return nil // the prefix names the other type: no numbers
			}
			if _, err := tx.GetRecordByName(KindPhoneNumber, "", number); err == nil {
				continue
			} else if !isNotFound(err) {
				return err
			}
			if skipped < tok.Offset {
				skipped++
				continue
			}
			out = append(out, AvailableNumber{Number: number, CountryCode: country, Type: typ})
		}
		if len(out) > limit {
			out = out[:limit]
			next = encodeTokenValue(pageToken{Offset: tok.Offset + limit})
		}
		return nil
	})
	return out, next, err
}
