package domain

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Prompts are audio files in S3 that flows play (MessageParticipant's
// PromptId). Switchboard keeps each prompt's name and S3 address and
// never fetches the file: nothing here plays audio.

// Prompt is a prompt of an instance.
type Prompt struct {
	ID, Arn, InstanceID string
	Name, Description   string
	S3URI               string
	Tags                map[string]string
	LastModifiedTime    time.Time
}

func (p *Prompt) recordKey() (string, string) { return p.ID, p.Name }

// PromptParams are the inputs of CreatePrompt and UpdatePrompt; in an
// update nil members are left as they are.
type PromptParams struct {
	Name, Description, S3URI *string
	Tags                     map[string]string
}

// CreatePrompt records a prompt; names are unique in the instance.
func (s *Service) CreatePrompt(ctx context.Context, instanceID string, p PromptParams) (*Prompt, error) {
	var pr *Prompt
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindPrompt, iid, s.quotas.Prompts, ErrLimitExceeded, "prompts"); err != nil {
			return err
		}
		now := s.now()
		pr = &Prompt{ID: s.newID(), InstanceID: iid, Name: sval(p.Name), Description: sval(p.Description), S3URI: sval(p.S3URI),
			Tags: p.Tags, LastModifiedTime: now}
		pr.Arn = s.newARN(KindPrompt, iid, pr.ID)
		return save(tx, KindPrompt, iid, pr, now, now)
	})
	if err != nil {
		return nil, err
	}
	return pr, nil
}

// DescribePrompt returns a prompt by ID or ARN.
func (s *Service) DescribePrompt(ctx context.Context, instanceID, promptID string) (*Prompt, error) {
	return describe[Prompt](s, ctx, KindPrompt, instanceID, promptID)
}

// ListPrompts pages through an instance's prompts.
func (s *Service) ListPrompts(ctx context.Context, instanceID string, page Page) ([]Prompt, string, error) {
	return listIn[Prompt](s, ctx, KindPrompt, instanceID, page, nil)
}

// UpdatePrompt changes what p gives.
func (s *Service) UpdatePrompt(ctx context.Context, instanceID, promptID string, p PromptParams) (*Prompt, error) {
	return modify(s, ctx, KindPrompt, instanceID, promptID, func(_ Tx, _ string, now time.Time, pr *Prompt) error {
		if p.Name != nil {
			pr.Name = *p.Name
		}
		if p.Description != nil {
			pr.Description = *p.Description
		}
		if p.S3URI != nil {
			pr.S3URI = *p.S3URI
		}
		pr.LastModifiedTime = now
		return nil
	})
}

// DeletePrompt deletes a prompt. Flows that name it are left as they are.
func (s *Service) DeletePrompt(ctx context.Context, instanceID, promptID string) error {
	return s.remove(ctx, KindPrompt, instanceID, promptID, nil)
}

// PromptFileURL is GetPromptFile's answer: the HTTPS address of the
// prompt's file. Connect presigns it; Switchboard holds no AWS
// credentials to sign with, so an s3:// URI becomes the object's
// virtual-hosted address, unsigned, and an HTTPS address is given back as
// it was stored.
func (s *Service) PromptFileURL(ctx context.Context, instanceID, promptID string) (string, time.Time, error) {
	pr, err := s.DescribePrompt(ctx, instanceID, promptID)
	if err != nil {
		return "", time.Time{}, err
	}
	bucketKey, ok := strings.CutPrefix(pr.S3URI, "s3://")
	if !ok {
		return pr.S3URI, pr.LastModifiedTime, nil
	}
	bucket, key, _ := strings.Cut(bucketKey, "/")
	u := url.URL{Scheme: "https", Host: bucket + ".s3.amazonaws.com", Path: "/" + key}
	return u.String(), pr.LastModifiedTime, nil
}

// promptSearchFields are the FieldName values SearchPrompts takes.
var promptSearchFields = map[string]func(*Prompt) []string{
	"name":        func(p *Prompt) []string { return []string{p.Name} },
	"description": func(p *Prompt) []string { return []string{p.Description} },
	"resourceid":  func(p *Prompt) []string { return []string{p.ID} },
}

// SearchPrompts finds the prompts that match criteria and filter, with
// the total count.
func (s *Service) SearchPrompts(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]Prompt, string, int, error) {
	match, err := compileFields(criteria, promptSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindPrompt, instanceID, page, func(p *Prompt) bool {
		return match(p) && filter.matchTags(p.Tags)
	}, func(p *Prompt) string { return p.ID })
}
