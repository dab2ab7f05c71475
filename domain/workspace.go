package domain

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Workspaces are agent workspace layouts: a title and theme, pages that
// each show a view, a visibility, and the users and routing profiles they
// are assigned to. Connect renders them in the agent workspace; here they
// are kept and checked for the API (nothing renders them).

// KindWorkspace holds a workspace with its pages, media and assignments.
const KindWorkspace Kind = "workspace"

// Workspace visibilities.
const (
	WorkspaceAll      = "ALL"
	WorkspaceAssigned = "ASSIGNED"
	WorkspaceNone     = "NONE"
)

// Workspace is a workspace of an instance.
type Workspace struct {
	ID, Arn, InstanceID string
	Name, Description   string
	Title               string
	// Theme is the theme as the wire gives it (colors, images, fonts):
	// checked by the model, with no rule of its own.
	Theme            json.RawMessage `json:",omitempty"`
	Visibility       string
	Tags             map[string]string `json:",omitempty"`
	CreatedTime      time.Time
	LastModifiedTime time.Time
	Pages            []WorkspacePage   `json:",omitempty"`
	Media            map[string]string `json:",omitempty"` // media type → source
	// Resources are the ARNs of the users and routing profiles it is
	// assigned to.
	Resources []string `json:",omitempty"`
}

func (w *Workspace) recordKey() (string, string) { return w.ID, w.Name }

// WorkspacePage shows a view on one page of a workspace.
type WorkspacePage struct {
	Page, ResourceArn, Slug, InputData string
}

// WorkspaceParams are the inputs of CreateWorkspace and
// UpdateWorkspaceMetadata (nil: unchanged, for the update).
type WorkspaceParams struct {
	Name, Description, Title *string
	Theme                    json.RawMessage
	Tags                     map[string]string
}

// CreateWorkspace creates a workspace, visible to those it is assigned to.
func (s *Service) CreateWorkspace(ctx context.Context, instanceID string, p WorkspaceParams) (*Workspace, error) {
	var w *Workspace
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindWorkspace, iid, s.quotas.Workspaces, ErrQuotaExceeded, "workspaces"); err != nil {
			return err
		}
		now, id := s.now(), s.newID()
		w = &Workspace{ID: id, Arn: s.newARN(KindWorkspace, iid, id), InstanceID: iid, Name: deref(p.Name), Description: deref(p.Description),
			Title: deref(p.Title), Theme: p.Theme, Visibility: WorkspaceAssigned, Tags: p.Tags, CreatedTime: now, LastModifiedTime: now}
		return save(tx, KindWorkspace, iid, w, now, now)
	})
	return w, err
}

// DescribeWorkspace returns a workspace.
func (s *Service) DescribeWorkspace(ctx context.Context, instanceID, id string) (*Workspace, error) {
	return describe[Workspace](s, ctx, KindWorkspace, instanceID, id)
}

// ListWorkspaces pages through an instance's workspaces by name.
func (s *Service) ListWorkspaces(ctx context.Context, instanceID string, page Page) ([]Workspace, string, error) {
	var out []Workspace
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		every, err := s.allWorkspaces(tx, instanceID)
		if err != nil {
			return err
		}
		out, next, err = pageSlice(every, page)
		return err
	})
	return out, next, err
}

func (s *Service) allWorkspaces(tx ReadTx, instanceID string) ([]Workspace, error) {
	iid, err := s.resolveInstance(tx, instanceID)
	if err != nil {
		return nil, err
	}
	every, err := all[Workspace](tx, KindWorkspace, iid)
	slices.SortFunc(every, func(a, b Workspace) int { return strings.Compare(a.Name, b.Name) })
	return every, err
}

// changeWorkspace runs fn on a workspace and stores it.
func (s *Service) changeWorkspace(ctx context.Context, instanceID, id string, fn func(tx Tx, iid string, w *Workspace) error) error {
	_, err := modify(s, ctx, KindWorkspace, instanceID, id, func(tx Tx, iid string, now time.Time, w *Workspace) error {
		if err := fn(tx, iid, w); err != nil {
			return err
		}
		w.LastModifiedTime = now
		return nil
	})
	return err
}

// UpdateWorkspaceMetadata changes the name, description or title given.
func (s *Service) UpdateWorkspaceMetadata(ctx context.Context, instanceID, id string, p WorkspaceParams) error {
	if p.Name == nil && p.Description == nil && p.Title == nil {
		return Errorf(ErrInvalidRequest, "Pass Name, Description or Title: there is nothing to update.")
	}
	return s.changeWorkspace(ctx, instanceID, id, func(_ Tx, _ string, w *Workspace) error {
		for _, f := range []struct {
			to   *string
			from *string
		}{{&w.Name, p.Name}, {&w.Description, p.Description}, {&w.Title, p.Title}} {
			if f.from != nil {
				*f.to = *f.from
			}
		}
		return nil
	})
}

// UpdateWorkspaceTheme replaces the theme (nil removes it).
func (s *Service) UpdateWorkspaceTheme(ctx context.Context, instanceID, id string, theme json.RawMessage) error {
	return s.changeWorkspace(ctx, instanceID, id, func(_ Tx, _ string, w *Workspace) error {
		w.Theme = theme
		return nil
	})
}

// UpdateWorkspaceVisibility sets who sees a workspace.
func (s *Service) UpdateWorkspaceVisibility(ctx context.Context, instanceID, id, visibility string) error {
	return s.changeWorkspace(ctx, instanceID, id, func(_ Tx, _ string, w *Workspace) error {
		w.Visibility = visibility
		return nil
	})
}

// DeleteWorkspace deletes a workspace with its pages and assignments.
func (s *Service) DeleteWorkspace(ctx context.Context, instanceID, id string) error {
	return s.remove(ctx, KindWorkspace, instanceID, id, nil)
}

// workspaceSearchFields are the FieldName values SearchWorkspaces takes.
var workspaceSearchFields = map[string]func(*Workspace) []string{
	"name":        func(w *Workspace) []string { return []string{w.Name} },
	"description": func(w *Workspace) []string { return []string{w.Description} },
	"title":       func(w *Workspace) []string { return []string{w.Title} },
	"visibility":  func(w *Workspace) []string { return []string{w.Visibility} },
	"resourceid":  func(w *Workspace) []string { return []string{w.ID} },
}

// SearchWorkspaces finds the workspaces that match criteria and whose tags
// match filter, with the total count.
func (s *Service) SearchWorkspaces(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]Workspace, string, int, error) {
	match, err := compileFields(criteria, workspaceSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindWorkspace, instanceID, page, func(w *Workspace) bool {
		return match(w) && filter.matchTags(w.Tags)
	}, func(w *Workspace) string { return w.ID })
}

// System pages of a workspace; other pages are custom.
var workspaceSystemPages = []string{"HOME", "AGENT_EXPERIENCE"}

// checkPage checks a page's name, view and input data. A custom page may
// not take a reserved prefix; the view must exist (one of the instance's
// or an AWS managed one); InputData, when given, is a JSON object.
func (s *Service) checkPage(tx ReadTx, iid string, p WorkspacePage) error {
	if !slices.Contains(workspaceSystemPages, p.Page) {
		if _, err := reservedName(p.Page, "Page"); err != nil {
			return err
		}
	}
	id := idFromARN(p.ResourceArn, "view")
	if s.managedView(id) == nil {
		if _, err := getIn[View](tx, KindView, iid, id); err != nil {
			if CodeOf(err) == ErrNotFound {
				return Errorf(ErrNotFound, "View %s (the page's ResourceArn) not found in instance %s; pass the ARN of one of its views or of an AWS managed view.", clip(p.ResourceArn, 256), iid)
			}
			return err
		}
	}
	if p.InputData != "" {
		var obj map[string]any
		if err := json.Unmarshal([]byte(p.InputData), &obj); err != nil {
			return Errorf(ErrInvalidParameter, "InputData is not a JSON object: %v.", err)
		}
	}
	return nil
}

// pageIndex finds a page by name; -1 when absent.
func (w *Workspace) pageIndex(page string) int {
	return slices.IndexFunc(w.Pages, func(p WorkspacePage) bool { return p.Page == page })
}

// uniquePage refuses a page name or slug another page of w has.
func (w *Workspace) uniquePage(p WorkspacePage, except int) error {
	for i, q := range w.Pages {
		switch {
		case i == except:
		case q.Page == p.Page:
			return Errorf(ErrDuplicate, "Workspace %s already has a page %s; change it with UpdateWorkspacePage.", w.ID, p.Page)
		case p.Slug != "" && q.Slug == p.Slug:
			return Errorf(ErrDuplicate, "Page %s of workspace %s already has the slug %q; slugs are unique in a workspace.", q.Page, w.ID, p.Slug)
		}
	}
	return nil
}

// CreateWorkspacePage puts a view on a new page.
func (s *Service) CreateWorkspacePage(ctx context.Context, instanceID, id string, p WorkspacePage) error {
	return s.changeWorkspace(ctx, instanceID, id, func(tx Tx, iid string, w *Workspace) error {
		if err := w.uniquePage(p, -1); err != nil {
			return err
		}
		if err := s.checkPage(tx, iid, p); err != nil {
			return err
		}
		w.Pages = append(w.Pages, p)
		return nil
	})
}

// UpdateWorkspacePage changes a page: its name (newPage), view, slug or
// input data, each when given.
func (s *Service) UpdateWorkspacePage(ctx context.Context, instanceID, id, page string, newPage, resourceArn, slug, inputData *string) error {
	return s.changeWorkspace(ctx, instanceID, id, func(tx Tx, iid string, w *Workspace) error {
		i := w.pageIndex(page)
		if i < 0 {
			return Errorf(ErrNotFound, "Workspace %s has no page %s; ListWorkspacePages shows its pages.", w.ID, clip(page, 25))
		}
		p := w.Pages[i]
		for _, f := range []struct {
			to   *string
			from *string
		}{{&p.Page, newPage}, {&p.ResourceArn, resourceArn}, {&p.Slug, slug}, {&p.InputData, inputData}} {
			if f.from != nil {
				*f.to = *f.from
			}
		}
		if err := w.uniquePage(p, i); err != nil {
			return err
		}
		if err := s.checkPage(tx, iid, p); err != nil {
			return err
		}
		w.Pages[i] = p
		return nil
	})
}

// DeleteWorkspacePage removes a page (its view no longer shows there).
func (s *Service) DeleteWorkspacePage(ctx context.Context, instanceID, id, page string) error {
	return s.changeWorkspace(ctx, instanceID, id, func(_ Tx, _ string, w *Workspace) error {
		i := w.pageIndex(page)
		if i < 0 {
			return Errorf(ErrNotFound, "Workspace %s has no page %s; ListWorkspacePages shows its pages.", w.ID, clip(page, 25))
		}
		w.Pages = slices.Delete(w.Pages, i, i+1)
		return nil
	})
}

// ListWorkspacePages pages through a workspace's pages in the order they
// were added.
func (s *Service) ListWorkspacePages(ctx context.Context, instanceID, id string, page Page) ([]WorkspacePage, string, error) {
	w, err := s.DescribeWorkspace(ctx, instanceID, id)
	if err != nil {
		return nil, "", err
	}
	return pageSlice(w.Pages, page)
}

// ImportWorkspaceMedia stores a logo or favicon: an https:// URL, or the
// image itself in base64.
func (s *Service) ImportWorkspaceMedia(ctx context.Context, instanceID, id, mediaType, source string) error {
	if !strings.HasPrefix(source, "https://") {
		if _, err := base64.StdEncoding.DecodeString(source); err != nil {
			return Errorf(ErrInvalidParameter, "MediaSource is neither an https:// URL nor base64 (%v); pass a presigned URL or the image encoded in base64.", err)
		}
	}
	return s.changeWorkspace(ctx, instanceID, id, func(_ Tx, _ string, w *Workspace) error {
		if w.Media == nil {
			w.Media = map[string]string{}
		}
		w.Media[mediaType] = source
		return nil
	})
}

// DeleteWorkspaceMedia removes a media item.
func (s *Service) DeleteWorkspaceMedia(ctx context.Context, instanceID, id, mediaType string) error {
	return s.changeWorkspace(ctx, instanceID, id, func(_ Tx, _ string, w *Workspace) error {
		if _, ok := w.Media[mediaType]; !ok {
			return Errorf(ErrNotFound, "Workspace %s has no %s media; ListWorkspaceMedia shows what it has.", w.ID, mediaType)
		}
		delete(w.Media, mediaType)
		return nil
	})
}

// WorkspaceAssignment is the outcome of assigning one resource: Code is an
// HTTP status ("404") and Message says why, when it failed.
type WorkspaceAssignment struct {
	ResourceArn, Code, Message string
}

// assignable resolves a user or routing profile ARN of the instance to its
// record; when it cannot, code is an HTTP status and msg says why.
func (s *Service) assignable(tx ReadTx, iid, arn string) (kind Kind, rec Record, code, msg string) {
	for _, k := range []Kind{KindUser, KindRoutingProfile} {
		if id, ok := strings.CutPrefix(arn, s.arn("")+"instance/"+iid+"/"+kindInfo[k].arnType+"/"); ok {
			rec, err := tx.GetRecord(k, iid, id)
			if err != nil {
				return "", Record{}, "404", kindInfo[k].what + " " + clip(id, 100) + " not found in the instance."
			}
			return k, rec, "", ""
		}
	}
	return "", Record{}, "400", "Not the ARN of a user or a routing profile of this instance."
}

// AssociateWorkspace assigns a workspace to users and routing profiles;
// each ARN succeeds or fails on its own.
func (s *Service) AssociateWorkspace(ctx context.Context, instanceID, id string, arns []string) ([]WorkspaceAssignment, error) {
	var out []WorkspaceAssignment
	err := s.changeWorkspace(ctx, instanceID, id, func(tx Tx, iid string, w *Workspace) error {
		out = out[:0]
		for _, arn := range arns {
			if _, _, code, msg := s.assignable(tx, iid, arn); msg != "" {
				out = append(out, WorkspaceAssignment{ResourceArn: arn, Code: code, Message: msg})
				continue
			}
			if !slices.Contains(w.Resources, arn) {
				w.Resources = append(w.Resources, arn)
			}
			out = append(out, WorkspaceAssignment{ResourceArn: arn})
		}
		return nil
	})
	return out, err
}

// DisassociateWorkspace removes assignments; an ARN the workspace is not
// assigned to fails on its own.
func (s *Service) DisassociateWorkspace(ctx context.Context, instanceID, id string, arns []string) ([]WorkspaceAssignment, error) {
	var out []WorkspaceAssignment
	err := s.changeWorkspace(ctx, instanceID, id, func(_ Tx, _ string, w *Workspace) error {
		out = out[:0]
		for _, arn := range arns {
			i := slices.Index(w.Resources, arn)
			if i < 0 {
				out = append(out, WorkspaceAssignment{ResourceArn: arn, Code: "404", Message: "The workspace is not assigned to this resource."})
				continue
			}
			w.Resources = slices.Delete(w.Resources, i, i+1)
			out = append(out, WorkspaceAssignment{ResourceArn: arn})
		}
		return nil
	})
	return out, err
}

// WorkspaceAssociation is one assignment of a workspace, as
// SearchWorkspaceAssociations shows it.
type WorkspaceAssociation struct {
	WorkspaceID, WorkspaceArn  string
	ResourceID, ResourceArn    string
	ResourceType, ResourceName string
	workspaceTags              map[string]string
}

var workspaceAssociationFields = map[string]func(*WorkspaceAssociation) []string{
	"workspaceid":  func(a *WorkspaceAssociation) []string { return []string{a.WorkspaceID} },
	"resourceid":   func(a *WorkspaceAssociation) []string { return []string{a.ResourceID} },
	"resourcetype": func(a *WorkspaceAssociation) []string { return []string{a.ResourceType} },
}

// SearchWorkspaceAssociations finds the assignments that match criteria,
// of workspaces whose tags match filter. An assignment to a user or
// routing profile deleted since is not shown.
func (s *Service) SearchWorkspaceAssociations(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]WorkspaceAssociation, string, int, error) {
	match, err := compileSearch(criteria, workspaceAssociationFields, nil)
	if err != nil {
		return nil, "", 0, err
	}
	var out []WorkspaceAssociation
	var next string
	var total int
	err = s.view(ctx, func(tx ReadTx) error {
		every, err := s.allWorkspaces(tx, instanceID)
		if err != nil {
			return err
		}
		var hits []WorkspaceAssociation
		for _, w := range every {
			for _, arn := range w.Resources {
				kind, rec, _, msg := s.assignable(tx, w.InstanceID, arn)
				if msg != "" {
					continue
				}
				a := WorkspaceAssociation{WorkspaceID: w.ID, WorkspaceArn: w.Arn, ResourceID: rec.ID, ResourceArn: arn, workspaceTags: w.Tags,
					ResourceType: "ROUTING_PROFILE", ResourceName: rec.Name}
				if kind == KindUser {
					// A user's record is keyed by the username in lower
					// case; the name shown is the username as given.
					a.ResourceType = "USER"
					var u User
					if json.Unmarshal(rec.Data, &u) == nil {
						a.ResourceName = u.Username
					}
				}
				if match(&a) && filter.matchTags(a.workspaceTags) {
					hits = append(hits, a)
				}
			}
		}
		total = len(hits)
		out, next, err = pageSlice(hits, page)
		return err
	})
	return out, next, total, err
}
