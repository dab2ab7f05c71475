package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Views are the UI pages of step-by-step guides and of forms shown to chat
// customers (the flow's ShowView block). A view has two contents: $SAVED,
// the draft every UpdateViewContent writes, and $LATEST, the published
// content, written only by a PUBLISHED update. CreateViewVersion freezes
// $LATEST as the next numbered version. The AWS managed views (Cards,
// Confirmation, Detail, Form, List) exist in every instance as version 1.

// View statuses and types, as the model spells them.
const (
	ViewPublished       = "PUBLISHED"
	ViewSaved           = "SAVED"
	ViewCustomerManaged = "CUSTOMER_MANAGED"
	ViewAWSManaged      = "AWS_MANAGED"
)

// View is a view of an instance. Status, Type, Content, Version and
// VersionDescription describe one qualifier of it ($LATEST, $SAVED or a
// version); they are filled when it is read and not stored.
type View struct {
	ID, Arn, InstanceID string
	Name, Description   string
	Tags                map[string]string
	CreatedTime         time.Time
	LastModifiedTime    time.Time
	// Saved is the $SAVED content; Latest the $LATEST one, nil until the
	// view is first published.
	Saved  ViewContent
	Latest *ViewContent `json:",omitempty"`
	// Versions is the number of the latest version (CreateViewVersion),
	// 0 before the first.
	Versions int32 `json:",omitzero"`

	Status             string      `json:"-"`
	Type               string      `json:"-"`
	Content            ViewContent `json:"-"`
	Version            int32       `json:"-"`
	VersionDescription string      `json:"-"`
}

func (v *View) recordKey() (string, string) { return v.ID, v.Name }

// Published reports whether the view has $LATEST content.
func (v *View) Published() bool { return v.Latest != nil }

// ViewContent is what renders a view: its template (JSON), the actions a
// user can take from it, and the schema of the data the template reads,
// which Switchboard derives from the template.
type ViewContent struct {
	Template    string
	Actions     []string `json:",omitempty"`
	InputSchema string   `json:",omitempty"`
}

// SHA256 is ViewContentSha256: the hex SHA-256 of the template and the
// actions, so a client can tell whether content changed.
func (c *ViewContent) SHA256() string {
	h := sha256.New()
	h.Write([]byte(c.Template))
	for _, a := range c.Actions {
		h.Write([]byte{0})
		h.Write([]byte(a))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ViewVersion is a frozen $LATEST.
type ViewVersion struct {
	ViewID      string
	Version     int32
	Description string `json:",omitempty"`
	Name        string
	Content     ViewContent
	CreatedTime time.Time
}

func (v *ViewVersion) recordKey() (string, string) {
	return v.ViewID + ":" + strconv.Itoa(int(v.Version)), ""
}

// KindViewVersion holds the versions of views, keyed "{viewId}:{version}".
const KindViewVersion Kind = "view-version"

// maxViewContent is the model's limit on a view's content: 400 kB
// uncompressed.
const maxViewContent = 400 * 1024

// ViewParams are CreateView's inputs.
type ViewParams struct {
	ClientToken       string
	Name, Description string
	Status            string
	Template          string
	Actions           []string
	Tags              map[string]string
}

// CreateView creates a view. PUBLISHED content is checked fully and
// becomes $SAVED and $LATEST; SAVED content is checked to be JSON and
// becomes $SAVED only. Names are unique in the instance.
func (s *Service) CreateView(ctx context.Context, instanceID string, p ViewParams) (*View, error) {
	content, err := checkViewContent(p.Status, p.Template, p.Actions)
	if err != nil {
		return nil, err
	}
	var v *View
	tok := newClientToken("CreateView", p.ClientToken, p)
	err = s.update(ctx, func(tx Tx) error {
		iid, id, now, prior, err := newIn[View](s, tx, KindView, instanceID, tok)
		if err != nil || prior != nil {
			v = prior
			return err
		}
		if err := checkQuota(tx, KindView, iid, s.quotas.Views, ErrQuotaExceeded, "views"); err != nil {
			return err
		}
		v = &View{ID: id, InstanceID: iid, Name: p.Name, Description: p.Description, Tags: p.Tags,
			CreatedTime: now, LastModifiedTime: now, Saved: content}
		if p.Status == ViewPublished {
			v.Latest = &content
		}
		v.Arn = s.newARN(KindView, iid, id)
		return save(tx, KindView, iid, v, now, now)
	})
	if err != nil {
		return nil, err
	}
	qualifier := "$LATEST"
	if !v.Published() {
		qualifier = "$SAVED"
	}
	return v.at(qualifier)
}

// at fills a view's per-qualifier fields for "$LATEST" or "$SAVED".
func (v *View) at(qualifier string) (*View, error) {
	out := *v
	out.Type, out.Version = ViewCustomerManaged, v.Versions
	switch qualifier {
	case "$SAVED":
		out.Status, out.Content = ViewSaved, v.Saved
		if v.Published() && v.Latest.SHA256() == v.Saved.SHA256() {
			out.Status = ViewPublished
		}
	default:
		if !v.Published() {
			return nil, Errorf(ErrNotFound, "View %s has no published content; describe %s:$SAVED for its draft, or publish it (UpdateViewContent with Status PUBLISHED).", v.ID, v.ID)
		}
		out.Status, out.Content = ViewPublished, *v.Latest
	}
	return &out, nil
}

// summaryStatus is the Status ListViews shows: PUBLISHED once the view
// has published content.
func (v *View) summaryStatus() string {
	if v.Published() || v.Type == ViewAWSManaged {
		return ViewPublished
	}
	return ViewSaved
}

// checkViewContent checks content as CreateView and UpdateViewContent do
// for status, and returns it with its input schema.
func checkViewContent(status, template string, actions []string) (ViewContent, error) {
	c := ViewContent{Template: template, Actions: actions}
	if status != ViewPublished && status != ViewSaved {
		return c, Errorf(ErrInvalidParameter, "Status %q is not valid; use PUBLISHED or SAVED.", clip(status, 32))
	}
	size := len(template)
	for _, a := range actions {
		size += len(a)
	}
	if size > maxViewContent {
		return c, Errorf(ErrInvalidParameter, "The view content is %d bytes; the limit is %d (400 kB).", size, maxViewContent)
	}
	for i, a := range actions {
		if slices.Contains(actions[:i], a) {
			return c, Errorf(ErrInvalidParameter, "Content.Actions lists %q twice; name each action once.", clip(a, 64))
		}
	}
	if template == "" {
		if status == ViewPublished {
			return c, Errorf(ErrInvalidRequest, "Content.Template is empty; a PUBLISHED view needs a template (a JSON object with a Body).")
		}
		return c, nil
	}
	var doc any
	if err := json.Unmarshal([]byte(template), &doc); err != nil {
		return c, Errorf(ErrInvalidRequest, "Content.Template is not valid JSON: %v.", err)
	}
	if status == ViewPublished {
		if problems := checkViewTemplate(doc, actions); len(problems) > 0 {
			msg := "The view template is not valid: " + problems[0]
			if len(problems) > 1 {
				msg = fmt.Sprintf("The view template is not valid (%d problems): %s", len(problems), strings.Join(problems, "; "))
			}
			return c, Errorf(ErrInvalidRequest, "%s", msg)
		}
	}
	c.InputSchema = viewInputSchema(doc)
	return c, nil
}

// checkViewTemplate is a PUBLISHED view's full check: the template is an
// object whose Body is a list of components, each an object with a Type,
// and every action a component's Props name is one of actions.
func checkViewTemplate(doc any, actions []string) []string {
	root, ok := doc.(map[string]any)
	if !ok {
		return []string{"the template must be a JSON object with Head and Body"}
	}
	if h, ok := root["Head"]; ok {
		if _, ok := h.(map[string]any); !ok {
			return []string{"Head must be an object"}
		}
	}
	body, ok := root["Body"].([]any)
	if !ok {
		return []string{"Body must be a list of components"}
	}
	var problems []string
	var walk func(path string, list []any)
	walk = func(path string, list []any) {
		for i, item := range list {
			at := fmt.Sprintf("%s[%d]", path, i)
			comp, ok := item.(map[string]any)
			if !ok {
				if path == "Body" {
					problems = append(problems, at+" must be a component object")
				}
				continue
			}
			if t, _ := comp["Type"].(string); t == "" {
				problems = append(problems, at+" has no Type")
			}
			if props, ok := comp["Props"].(map[string]any); ok {
				if a, ok := props["Action"].(string); ok && !strings.HasPrefix(a, "$.") && !slices.Contains(actions, a) {
					problems = append(problems, fmt.Sprintf("%s.Props.Action %q is not in Content.Actions", at, clip(a, 64)))
				}
			}
			if inner, ok := comp["Content"].([]any); ok {
				walk(at+".Content", inner)
			}
		}
	}
	walk("Body", body)
	return problems
}

// viewInputSchema derives the data a template reads: every string of the
// form "$.A.B" is a reference to input A.B. The schema is a JSON Schema
// object of those paths, leaves left untyped; "" when there are none.
func viewInputSchema(doc any) string {
	type node map[string]any
	root := node{}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case string:
			path, ok := strings.CutPrefix(t, "$.")
			if !ok || path == "" {
				return
			}
			at := root
			parts := strings.Split(path, ".")
			for i, p := range parts {
				if p == "" {
					return
				}
				next, ok := at[p].(node)
				if !ok {
					next = node{}
					at[p] = next
				}
				if i == len(parts)-1 {
					return
				}
				at = next
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(doc)
	if len(root) == 0 {
		return ""
	}
	var schema func(n node) map[string]any
	schema = func(n node) map[string]any {
		if len(n) == 0 {
			return map[string]any{}
		}
		props := map[string]any{}
		for k, child := range n {
			props[k] = schema(child.(node))
		}
		return map[string]any{"type": "object", "properties": props}
	}
	b, _ := json.Marshal(schema(root))
	return string(b)
}

// splitViewRef separates a view ID or ARN from its qualifier ($SAVED,
// $LATEST or a version number; "" when absent).
func splitViewRef(ref string) (id, qualifier string) {
	id, qualifier, _ = strings.Cut(idFromARN(ref, "view"), ":")
	return id, qualifier
}

// DescribeView returns a view at a qualifier: the bare ID is $LATEST,
// which a never published view does not have.
func (s *Service) DescribeView(ctx context.Context, instanceID, viewRef string) (*View, error) {
	id, q := splitViewRef(viewRef)
	if q != "" && q != "$LATEST" && q != "$SAVED" && !isVersion(q) {
		return nil, Errorf(ErrInvalidParameter, "ViewId %q has an unknown qualifier %q; use the bare ID, or append :$SAVED, :$LATEST or :{version}.", clip(viewRef, 100), clip(q, 32))
	}
	if mv := s.managedView(id); mv != nil {
		if q != "" && q != "$LATEST" && q != "$SAVED" && q != "1" {
			return nil, Errorf(ErrNotFound, "AWS managed view %s has only version 1.", id)
		}
		if _, err := s.DescribeInstance(ctx, instanceID); err != nil {
			return nil, err
		}
		return mv, nil
	}
	var out *View
	err := viewResource(s, ctx, KindView, instanceID, id, func(tx ReadTx, iid string, v *View) error {
		switch {
		case q == "" || q == "$LATEST" || q == "$SAVED":
			var err error
			out, err = v.at(q)
			return err
		default:
			n, err := strconv.ParseInt(q, 10, 32)
			if err != nil {
				return Errorf(ErrNotFound, "View %s has no version %s.", v.ID, q)
			}
			ver, err := viewVersion(tx, iid, v, int32(n))
			if err != nil {
				return err
			}
			out = ver.of(v)
			return nil
		}
	})
	return out, err
}

// of is the view as this version froze it.
func (ver *ViewVersion) of(v *View) *View {
	out := *v
	out.Name, out.Content, out.Status, out.Type = ver.Name, ver.Content, ViewPublished, ViewCustomerManaged
	out.Version, out.VersionDescription = ver.Version, ver.Description
	out.Arn = v.Arn + ":" + strconv.Itoa(int(ver.Version))
	return &out
}

// viewVersion loads a version of a view.
func viewVersion(tx ReadTx, iid string, v *View, version int32) (*ViewVersion, error) {
	ver, err := getDoc[ViewVersion](tx, KindViewVersion, iid, v.ID+":"+strconv.Itoa(int(version)))
	if errors.Is(err, ErrStoreNotFound) {
		return nil, Errorf(ErrNotFound, "View %s has no version %d; ListViewVersions shows its versions.", v.ID, version)
	}
	return ver, err
}

// ListViews pages through the instance's views of viewType (both types
// when ""), AWS managed first, then by name.
func (s *Service) ListViews(ctx context.Context, instanceID, viewType string, page Page) ([]View, string, error) {
	var out []View
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		every, err := s.allViews(tx, instanceID)
		if err != nil {
			return err
		}
		if viewType != "" {
			every = slices.DeleteFunc(every, func(v View) bool { return v.Type != viewType })
		}
		out, next, err = pageSlice(every, page)
		return err
	})
	return out, next, err
}

// allViews returns the managed views and the instance's own, sorted as
// ListViews sorts them, each with its summary Status.
func (s *Service) allViews(tx ReadTx, instanceID string) ([]View, error) {
	iid, err := s.resolveInstance(tx, instanceID)
	if err != nil {
		return nil, err
	}
	own, err := all[View](tx, KindView, iid)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(own, func(a, b View) int { return strings.Compare(a.Name, b.Name) })
	out := s.managedViews()
	for i := range own {
		v := &own[i]
		v.Type = ViewCustomerManaged
		v.Status = v.summaryStatus()
		v.Content = v.Saved
		if v.Published() {
			v.Content = *v.Latest
		}
		out = append(out, *v)
	}
	return out, nil
}

// UpdateViewContent replaces $SAVED, and $LATEST too when status is
// PUBLISHED.
func (s *Service) UpdateViewContent(ctx context.Context, instanceID, viewRef, status, template string, actions []string) (*View, error) {
	id, _ := splitViewRef(viewRef)
	if s.managedView(id) != nil {
		return nil, Errorf(ErrInvalidRequest, "View %s is AWS managed and cannot be changed; create your own view from its template instead.", clip(viewRef, 100))
	}
	content, err := checkViewContent(status, template, actions)
	if err != nil {
		return nil, err
	}
	v, err := modify(s, ctx, KindView, instanceID, id, func(_ Tx, _ string, now time.Time, v *View) error {
		v.Saved = content
		if status == ViewPublished {
			v.Latest = &content
		}
		v.LastModifiedTime = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	if status == ViewPublished {
		return v.at("$LATEST")
	}
	return v.at("$SAVED")
}

// UpdateViewMetadata renames a view or changes its description.
func (s *Service) UpdateViewMetadata(ctx context.Context, instanceID, viewRef string, name, description *string) error {
	if name == nil && description == nil {
		return Errorf(ErrInvalidRequest, "Pass Name or Description: there is nothing to update.")
	}
	id, _ := splitViewRef(viewRef)
	if s.managedView(id) != nil {
		return Errorf(ErrInvalidRequest, "View %s is AWS managed and cannot be changed.", clip(viewRef, 100))
	}
	_, err := modify(s, ctx, KindView, instanceID, id, func(_ Tx, _ string, now time.Time, v *View) error {
		if name != nil {
			v.Name = *name
		}
		if description != nil {
			v.Description = *description
		}
		v.LastModifiedTime = now
		return nil
	})
	return err
}

// DeleteView deletes a view with its versions.
func (s *Service) DeleteView(ctx context.Context, instanceID, viewRef string) error {
	id, _ := splitViewRef(viewRef)
	if s.managedView(id) != nil {
		return Errorf(ErrInvalidRequest, "View %s is AWS managed and cannot be deleted.", clip(viewRef, 100))
	}
	return s.remove(ctx, KindView, instanceID, id, func(tx Tx, iid, id string) error {
		versions, err := viewVersions(tx, iid, id)
		if err != nil {
			return err
		}
		for _, ver := range versions {
			if err := tx.DeleteRecord(KindViewVersion, iid, id+":"+strconv.Itoa(int(ver.Version))); err != nil {
				return fmt.Errorf("delete version %d of view %s: %w", ver.Version, id, err)
			}
		}
		return nil
	})
}

// viewVersions returns a view's versions, the highest first (as
// ListViewVersions orders them).
func viewVersions(tx ReadTx, iid, viewID string) ([]ViewVersion, error) {
	return allOf(tx, KindViewVersion, iid, func(v *ViewVersion) bool { return v.ViewID == viewID },
		func(a, b ViewVersion) int { return int(b.Version - a.Version) })
}

// CreateViewVersion freezes $LATEST as the next version, or answers the
// highest version when $LATEST has not changed since it. contentSHA256,
// when given, must be $LATEST's hash.
func (s *Service) CreateViewVersion(ctx context.Context, instanceID, viewRef, description, contentSHA256 string) (*View, error) {
	id, _ := splitViewRef(viewRef)
	if s.managedView(id) != nil {
		return nil, Errorf(ErrInvalidRequest, "View %s is AWS managed; its only version is 1.", clip(viewRef, 100))
	}
	var out *View
	err := s.update(ctx, func(tx Tx) error {
		iid, v, err := resourceIn[View](s, tx, KindView, instanceID, id)
		if err != nil {
			return err
		}
		if !v.Published() {
			return Errorf(ErrInvalidRequest, "View %s has no published content to version; publish it first (UpdateViewContent with Status PUBLISHED).", v.ID)
		}
		if contentSHA256 != "" && !strings.EqualFold(contentSHA256, v.Latest.SHA256()) {
			return Errorf(ErrInvalidRequest, "ViewContentSha256 %s is not the published content's (%s): it changed since it was read; describe the view again.", clip(contentSHA256, 64), v.Latest.SHA256())
		}
		if v.Versions > 0 {
			last, err := viewVersion(tx, iid, v, v.Versions)
			if err == nil && last.Content.SHA256() == v.Latest.SHA256() {
				out = last.of(v)
				return nil
			}
			if err != nil && CodeOf(err) != ErrNotFound {
				return err
			}
		}
		versions, err := viewVersions(tx, iid, v.ID)
		if err != nil {
			return err
		}
		if len(versions) >= s.quotas.ViewVersions {
			return Errorf(ErrQuotaExceeded, "View %s already has %d versions, its quota; delete one (DeleteViewVersion), or start the server with --quota view-versions=N.", v.ID, len(versions))
		}
		now := s.now()
		v.Versions++
		v.LastModifiedTime = now
		ver := &ViewVersion{ViewID: v.ID, Version: v.Versions, Description: description, Name: v.Name, Content: *v.Latest, CreatedTime: now}
		if err := save(tx, KindViewVersion, iid, ver, now, now); err != nil {
			return err
		}
		out = ver.of(v)
		return save(tx, KindView, iid, v, v.CreatedTime, now)
	})
	return out, err
}

// ListViewVersions pages through a view's versions, the highest first.
func (s *Service) ListViewVersions(ctx context.Context, instanceID, viewRef string, page Page) ([]View, string, error) {
	id, _ := splitViewRef(viewRef)
	var out []View
	var next string
	if mv := s.managedView(id); mv != nil {
		if _, err := s.DescribeInstance(ctx, instanceID); err != nil {
			return nil, "", err
		}
		page, next, err := pageSlice([]View{*mv}, page)
		return page, next, err
	}
	err := viewResource(s, ctx, KindView, instanceID, id, func(tx ReadTx, iid string, v *View) error {
		versions, err := viewVersions(tx, iid, v.ID)
		if err != nil {
			return err
		}
		every := make([]View, len(versions))
		for i := range versions {
			every[i] = *versions[i].of(v)
		}
		out, next, err = pageSlice(every, page)
		return err
	})
	return out, next, err
}

// DeleteViewVersion deletes one version of a view.
func (s *Service) DeleteViewVersion(ctx context.Context, instanceID, viewRef string, version int32) error {
	id, _ := splitViewRef(viewRef)
	if s.managedView(id) != nil {
		return Errorf(ErrInvalidRequest, "View %s is AWS managed; its version cannot be deleted.", clip(viewRef, 100))
	}
	return s.update(ctx, func(tx Tx) error {
		iid, v, err := resourceIn[View](s, tx, KindView, instanceID, id)
		if err != nil {
			return err
		}
		if _, err := viewVersion(tx, iid, v, version); err != nil {
			return err
		}
		return tx.DeleteRecord(KindViewVersion, iid, v.ID+":"+strconv.Itoa(int(version)))
	})
}

// viewSearchFields are the FieldName values SearchViews takes.
var viewSearchFields = map[string]func(*View) []string{
	"name":        func(v *View) []string { return []string{v.Name} },
	"description": func(v *View) []string { return []string{v.Description} },
	"resourceid":  func(v *View) []string { return []string{v.ID} },
}

// viewEnums are SearchViews' ViewTypeCondition and ViewStatusCondition.
var viewEnums = map[string]func(*View) string{
	"ViewType":   func(v *View) string { return v.Type },
	"ViewStatus": func(v *View) string { return v.Status },
}

// SearchViews finds the views (managed ones included) that match criteria
// and whose tags match filter, with the total count.
func (s *Service) SearchViews(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]View, string, int, error) {
	match, err := compileSearch(criteria, viewSearchFields, viewEnums)
	if err != nil {
		return nil, "", 0, err
	}
	var out []View
	var next string
	var total int
	err = s.view(ctx, func(tx ReadTx) error {
		every, err := s.allViews(tx, instanceID)
		if err != nil {
			return err
		}
		hits := slices.DeleteFunc(every, func(v View) bool { return !match(&v) || !filter.matchTags(v.Tags) })
		total = len(hits)
		out, next, err = pageSlice(hits, page)
		return err
	})
	return out, next, total, err
}
