package domain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Flow module versions and aliases. A version is an immutable snapshot of
// a published module's content and settings, numbered from 1 per module;
// DescribeContactFlowModule shows it with the qualifier ":{version}". An
// alias is a name that points at one version and can be moved. Flows
// invoke a module's current content: which version an InvokeFlowModule
// block runs is not configurable in the flow language here.

// FlowModuleVersion is a snapshot of a module.
type FlowModuleVersion struct {
	ModuleID    string
	Version     int64
	Description string
	Name        string
	Content     string
	Settings    string `json:",omitempty"`
	CreatedTime time.Time
}

func (v *FlowModuleVersion) recordKey() (string, string) {
	return versionKey(v.ModuleID, v.Version), ""
}

func versionKey(moduleID string, version int64) string {
	return moduleID + ":" + strconv.FormatInt(version, 10)
}

// FlowModuleAlias names a version of a module.
type FlowModuleAlias struct {
	ID, ModuleID     string
	Name             string
	Description      string
	Version          int64
	LastModifiedTime time.Time
}

// An alias name is unique within its module.
func (a *FlowModuleAlias) recordKey() (string, string) { return a.ID, a.ModuleID + "/" + a.Name }

// Kinds of the snapshots and aliases.
const (
	KindFlowModuleVersion Kind = "flow-module-version"
	KindFlowModuleAlias   Kind = "flow-module-alias"
)

// CreateContactFlowModuleVersion snapshots a published module as its next
// version. contentSHA256, when given, must be the module's current content
// hash (FlowModuleContentSha256), so that a version is not made of
// content that changed since the caller read it.
func (s *Service) CreateContactFlowModuleVersion(ctx context.Context, instanceID, moduleRef, description, contentSHA256 string) (*FlowModule, int64, error) {
	var m *FlowModule
	var n int64
	_, err := modify(s, ctx, KindFlowModule, instanceID, moduleRef, func(tx Tx, iid string, now time.Time, mod *FlowModule) error {
		if mod.Status != FlowPublished {
			return Errorf(ErrInvalidRequest, "Flow module %s is SAVED, not PUBLISHED; publish its content (UpdateContactFlowModuleContent) before making a version of it.", mod.ID)
		}
		if contentSHA256 != "" && !strings.EqualFold(contentSHA256, mod.ContentSHA256()) {
			return Errorf(ErrInvalidRequest, "FlowModuleContentSha256 %s is not the module's content (%s): it changed since it was read; describe it again.", contentSHA256, mod.ContentSHA256())
		}
		mod.Versions++
		n, m = mod.Versions, mod
		v := &FlowModuleVersion{ModuleID: mod.ID, Version: n, Description: description, Name: mod.Name, Content: mod.Content,
			Settings: mod.Settings, CreatedTime: now}
		return save(tx, KindFlowModuleVersion, iid, v, now, now)
	})
	return m, n, err
}

// flowModuleVersion loads a module's version: ResourceNotFoundException
// when the module or the version is missing.
func flowModuleVersion(tx ReadTx, iid string, mod *FlowModule, version int64) (*FlowModuleVersion, error) {
	v, err := getDoc[FlowModuleVersion](tx, KindFlowModuleVersion, iid, versionKey(mod.ID, version))
	if errors.Is(err, ErrStoreNotFound) {
		return nil, Errorf(ErrNotFound, "Flow module %s has no version %d; ListContactFlowModuleVersions shows its versions.", mod.ID, version)
	}
	return v, err
}

// moduleIn resolves an instance and loads one of its modules by ID or
// ARN, as every version and alias operation starts.
func (s *Service) moduleIn(tx ReadTx, instanceID, moduleRef string) (string, *FlowModule, error) {
	return resourceIn[FlowModule](s, tx, KindFlowModule, instanceID, moduleRef)
}

// describeModuleVersion is DescribeContactFlowModule of "{id}:{version}":
// the module as the version captured it.
func (s *Service) describeModuleVersion(ctx context.Context, instanceID, moduleRef string, version int64) (*FlowModule, error) {
	var out *FlowModule
	err := s.view(ctx, func(tx ReadTx) error {
		iid, mod, err := s.moduleIn(tx, instanceID, moduleRef)
		if err != nil {
			return err
		}
		v, err := flowModuleVersion(tx, iid, mod, version)
		if err != nil {
			return err
		}
		snap := *mod
		snap.Name, snap.Content, snap.Settings, snap.Status = v.Name, v.Content, v.Settings, FlowPublished
		snap.Version, snap.VersionDescription = v.Version, v.Description
		out = &snap
		return nil
	})
	return out, err
}

// ListContactFlowModuleVersions pages through a module's versions, oldest
// first, and returns the module.
func (s *Service) ListContactFlowModuleVersions(ctx context.Context, instanceID, moduleRef string, page Page) (*FlowModule, []FlowModuleVersion, string, error) {
	return pageOfModule(s, ctx, instanceID, moduleRef, page, moduleVersions)
}

// pageOfModule returns a module and a page of what load finds for it (its
// versions, its aliases).
func pageOfModule[T any](s *Service, ctx context.Context, instanceID, moduleRef string, page Page, load func(tx ReadTx, iid, moduleID string) ([]T, error)) (*FlowModule, []T, string, error) {
	var mod *FlowModule
	var out []T
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		iid, m, err := s.moduleIn(tx, instanceID, moduleRef)
		if err != nil {
			return err
		}
		mod = m
		every, err := load(tx, iid, mod.ID)
		if err != nil {
			return err
		}
		out, next, err = pageSlice(every, page)
		return err
	})
	return mod, out, next, err
}

// moduleVersions returns a module's versions in order.
func moduleVersions(tx ReadTx, iid, moduleID string) ([]FlowModuleVersion, error) {
	return allOf(tx, KindFlowModuleVersion, iid, func(v *FlowModuleVersion) bool { return v.ModuleID == moduleID },
		func(a, b FlowModuleVersion) int { return int(a.Version - b.Version) })
}

// DeleteContactFlowModuleVersion deletes a version no alias points to.
func (s *Service) DeleteContactFlowModuleVersion(ctx context.Context, instanceID, moduleRef string, version int64) error {
	return s.update(ctx, func(tx Tx) error {
		iid, mod, err := s.moduleIn(tx, instanceID, moduleRef)
		if err != nil {
			return err
		}
		if _, err := flowModuleVersion(tx, iid, mod, version); err != nil {
			return err
		}
		aliases, err := moduleAliases(tx, iid, mod.ID)
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(aliases, func(a FlowModuleAlias) bool { return a.Version == version }); i >= 0 {
			return Errorf(ErrInvalidRequest, "Version %d of flow module %s is the target of alias %s; point the alias elsewhere or delete it first.", version, mod.ID, aliases[i].Name)
		}
		return tx.DeleteRecord(KindFlowModuleVersion, iid, versionKey(mod.ID, version))
	})
}

// moduleAliases returns a module's aliases by name.
func moduleAliases(tx ReadTx, iid, moduleID string) ([]FlowModuleAlias, error) {
	return allOf(tx, KindFlowModuleAlias, iid, func(a *FlowModuleAlias) bool { return a.ModuleID == moduleID },
		func(a, b FlowModuleAlias) int { return strings.Compare(a.Name, b.Name) })
}

// CreateContactFlowModuleAlias names a version of a module; names are
// unique within the module.
func (s *Service) CreateContactFlowModuleAlias(ctx context.Context, instanceID, moduleRef, name, description string, version int64) (*FlowModule, *FlowModuleAlias, error) {
	var mod *FlowModule
	var out *FlowModuleAlias
	err := s.update(ctx, func(tx Tx) error {
		iid, m, err := s.moduleIn(tx, instanceID, moduleRef)
		if err != nil {
			return err
		}
		mod = m
		if _, err := flowModuleVersion(tx, iid, mod, version); err != nil {
			return err
		}
		now := s.now()
		out = &FlowModuleAlias{ID: s.newID(), ModuleID: mod.ID, Name: name, Description: description, Version: version, LastModifiedTime: now}
		return aliasSaved(save(tx, KindFlowModuleAlias, iid, out, now, now), mod.ID, name)
	})
	return mod, out, err
}

// aliasSaved turns a taken alias name into the operation's error.
func aliasSaved(err error, moduleID, name string) error {
	if errors.Is(err, ErrStoreDuplicate) || CodeOf(err) == ErrDuplicate {
		return Errorf(ErrDuplicate, "Flow module %s already has an alias named %s.", moduleID, name)
	}
	return err
}

// moduleAlias loads an alias of a module.
func moduleAlias(tx ReadTx, iid string, mod *FlowModule, aliasID string) (*FlowModuleAlias, error) {
	a, err := getDoc[FlowModuleAlias](tx, KindFlowModuleAlias, iid, aliasID)
	if errors.Is(err, ErrStoreNotFound) || err == nil && a.ModuleID != mod.ID {
		return nil, Errorf(ErrNotFound, "Flow module %s has no alias %s; ListContactFlowModuleAliases shows its aliases.", mod.ID, clip(aliasID, 100))
	}
	return a, err
}

// DescribeContactFlowModuleAlias returns an alias of a module.
func (s *Service) DescribeContactFlowModuleAlias(ctx context.Context, instanceID, moduleRef, aliasID string) (*FlowModule, *FlowModuleAlias, error) {
	var mod *FlowModule
	var out *FlowModuleAlias
	err := s.view(ctx, func(tx ReadTx) error {
		iid, m, err := s.moduleIn(tx, instanceID, moduleRef)
		if err != nil {
			return err
		}
		mod = m
		out, err = moduleAlias(tx, iid, mod, aliasID)
		return err
	})
	return mod, out, err
}

// ListContactFlowModuleAliases pages through a module's aliases by name.
func (s *Service) ListContactFlowModuleAliases(ctx context.Context, instanceID, moduleRef string, page Page) (*FlowModule, []FlowModuleAlias, string, error) {
	return pageOfModule(s, ctx, instanceID, moduleRef, page, moduleAliases)
}

// UpdateContactFlowModuleAlias renames an alias, changes its description,
// or points it at another version.
func (s *Service) UpdateContactFlowModuleAlias(ctx context.Context, instanceID, moduleRef, aliasID string, name, description *string, version *int64) error {
	if name == nil && description == nil && version == nil {
		return Errorf(ErrInvalidRequest, "Pass Name, Description or ContactFlowModuleVersion: there is nothing to update.")
	}
	return s.update(ctx, func(tx Tx) error {
		iid, mod, err := s.moduleIn(tx, instanceID, moduleRef)
		if err != nil {
			return err
		}
		a, err := moduleAlias(tx, iid, mod, aliasID)
		if err != nil {
			return err
		}
		if version != nil {
			if _, err := flowModuleVersion(tx, iid, mod, *version); err != nil {
				return err
			}
			a.Version = *version
		}
		if name != nil {
			if !aliasNamePattern(*name) {
				return Errorf(ErrInvalidParameter, "Name %q is not a valid alias name: letters, digits and $, with single _ or - between them.", clip(*name, 100))
			}
			a.Name = *name
		}
		if description != nil {
			a.Description = *description
		}
		now := s.now()
		a.LastModifiedTime = now
		return aliasSaved(save(tx, KindFlowModuleAlias, iid, a, now, now), mod.ID, a.Name)
	})
}

// aliasNamePattern checks ContactFlowModuleAlias's pattern, which
// CreateContactFlowModuleAlias's AliasName has in the model; the Name of
// UpdateContactFlowModuleAlias is a ContactFlowModuleName, which allows
// more, and an alias must keep a name it could have been created with.
func aliasNamePattern(name string) bool {
	if name == "" || len(name) > 100 {
		return false
	}
	prev := byte('_')
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case (c == '_' || c == '-') && prev != '_' && prev != '-':
		default:
			return false
		}
		prev = c
	}
	return true
}

// DeleteContactFlowModuleAlias deletes an alias.
func (s *Service) DeleteContactFlowModuleAlias(ctx context.Context, instanceID, moduleRef, aliasID string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, mod, err := s.moduleIn(tx, instanceID, moduleRef)
		if err != nil {
			return err
		}
		a, err := moduleAlias(tx, iid, mod, aliasID)
		if err != nil {
			return err
		}
		return tx.DeleteRecord(KindFlowModuleAlias, iid, a.ID)
	})
}

// deleteModuleHistory removes a deleted module's versions and aliases.
func deleteModuleHistory(tx Tx, iid, moduleID string) error {
	versions, err := moduleVersions(tx, iid, moduleID)
	if err != nil {
		return err
	}
	for _, v := range versions {
		if err := tx.DeleteRecord(KindFlowModuleVersion, iid, versionKey(moduleID, v.Version)); err != nil {
			return fmt.Errorf("delete version %d of module %s: %w", v.Version, moduleID, err)
		}
	}
	aliases, err := moduleAliases(tx, iid, moduleID)
	if err != nil {
		return err
	}
	for _, a := range aliases {
		if err := tx.DeleteRecord(KindFlowModuleAlias, iid, a.ID); err != nil {
			return fmt.Errorf("delete alias %s of module %s: %w", a.Name, moduleID, err)
		}
	}
	return nil
}
