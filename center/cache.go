package center

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/flow"
	"github.com/switchboard-cc/switchboard/flowrun"
)

// CacheTTL bounds how long the runtime trusts a cached flow or queue. Changes
// made through this server drop the entry at once (ConfigChanged); the TTL
// bounds how stale another node's change can look when several servers
// share a PostgreSQL store.
const CacheTTL = 5 * time.Second

// configCache keeps parsed flows and queues: every contact's flow run reads
// them, and parsing a flow document costs more than running it.
type configCache struct {
	mu     sync.Mutex
	flows  map[string]cached[flowrun.LoadedFlow]
	queues map[string]cached[domain.Queue]
}

type cached[T any] struct {
	v       T
	expires time.Time
}

func newConfigCache() *configCache {
	return &configCache{flows: map[string]cached[flowrun.LoadedFlow]{}, queues: map[string]cached[domain.Queue]{}}
}

var _ domain.ConfigWatcher = (*Center)(nil)

// ConfigChanged implements domain.ConfigWatcher.
func (c *Center) ConfigChanged(instanceID string, kind domain.Kind, id string) {
	key := instanceID + "/" + id
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	switch kind {
	case domain.KindContactFlow, domain.KindFlowModule:
		// Flows and modules are also cached under the ARN they were asked
		// for; drop the instance's wholesale rather than track aliases.
		for k := range c.cache.flows {
			if strings.HasPrefix(k, instanceID+"/") {
				delete(c.cache.flows, k)
			}
		}
	case domain.KindQueue:
		delete(c.cache.queues, key)
	}
}

// loadFlow returns a parsed flow, from the cache when fresh.
func (c *Center) loadFlow(ctx context.Context, instanceID, idOrARN string) (flowrun.LoadedFlow, error) {
	return c.cachedFlow(instanceID+"/"+idOrARN, func() (flowrun.LoadedFlow, error) {
		f, err := c.svc.DescribeContactFlow(ctx, instanceID, idOrARN)
		if err != nil {
			return flowrun.LoadedFlow{}, err
		}
		return parseLoaded(f.ID, f.Name, f.Type, f.Content)
	})
}

// loadModule returns a parsed flow module, from the cache when fresh. Its
// entries share the flows' map under a "module:" key. An archived module
// does not run.
func (c *Center) loadModule(ctx context.Context, instanceID, idOrARN string) (flowrun.LoadedFlow, error) {
	return c.cachedFlow(instanceID+"/module:"+idOrARN, func() (flowrun.LoadedFlow, error) {
		m, err := c.svc.DescribeContactFlowModule(ctx, instanceID, idOrARN)
		if err != nil {
			return flowrun.LoadedFlow{}, err
		}
		if m.State != "ACTIVE" {
			return flowrun.LoadedFlow{}, fmt.Errorf("flow module %s (%s) is %s; only active modules run", m.ID, m.Name, m.State)
		}
		return parseLoaded(m.ID, m.Name, "FLOW_MODULE", m.Content)
	})
}

// cachedFlow answers from the cache under key when the entry is fresh, and
// otherwise loads and caches.
func (c *Center) cachedFlow(key string, load func() (flowrun.LoadedFlow, error)) (flowrun.LoadedFlow, error) {
	now := c.clock.Now()
	c.cache.mu.Lock()
	e, ok := c.cache.flows[key]
	c.cache.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	lf, err := load()
	if err != nil {
		return flowrun.LoadedFlow{}, err
	}
	c.cache.mu.Lock()
	c.cache.flows[key] = cached[flowrun.LoadedFlow]{v: lf, expires: now.Add(CacheTTL)}
	c.cache.mu.Unlock()
	return lf, nil
}

// parseLoaded parses flow content for the interpreter.
func parseLoaded(id, name, typ, content string) (flowrun.LoadedFlow, error) {
	parsed, problems := flow.Parse(content)
	if len(problems) > 0 {
		return flowrun.LoadedFlow{}, flowParseError{id: id, name: name, msg: problems[0].Message}
	}
	return flowrun.LoadedFlow{ID: id, Name: name, Type: typ, Flow: parsed}, nil
}

type flowParseError struct{ id, name, msg string }

func (e flowParseError) Error() string {
	return "flow " + e.id + " (" + e.name + ") does not parse: " + e.msg
}

// queue returns a queue, from the cache when fresh.
func (c *Center) queue(ctx context.Context, instanceID, idOrARN string) (domain.Queue, error) {
	key, now := instanceID+"/"+domain.ResourceID(domain.KindQueue, idOrARN), c.clock.Now()
	c.cache.mu.Lock()
	e, ok := c.cache.queues[key]
	c.cache.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	q, err := c.svc.DescribeQueue(ctx, instanceID, idOrARN)
	if err != nil {
		return domain.Queue{}, err
	}
	c.cache.mu.Lock()
	// Keyed by ID, as ConfigChanged knows queues.
	c.cache.queues[instanceID+"/"+q.ID] = cached[domain.Queue]{v: *q, expires: now.Add(CacheTTL)}
	c.cache.mu.Unlock()
	return *q, nil
}
