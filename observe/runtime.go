package observe

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboard-cc/switchboard/center"
)

// Runtime exposes the live runtime's queues and agents, read at each
// scrape (they are the runtime's current state, not counters kept here).
func (m *Metrics) Runtime(c *center.Center) {
	m.reg.MustRegister(&runtimeCollector{c: c})
}

var (
	queueContactsDesc = prometheus.NewDesc(Namespace+"_queue_contacts",
		"Contacts in a standard queue of the runtime: state=waiting (not offered) or offered (reserved for an agent who has not accepted).",
		[]string{"instance_id", "queue_id", "queue_name", "state"}, nil)
	queueOldestDesc = prometheus.NewDesc(Namespace+"_queue_oldest_contact_enqueued_timestamp_seconds",
		"Unix time (server clock) at which the longest-waiting contact of a queue was enqueued; absent when the queue is empty.",
		[]string{"instance_id", "queue_id", "queue_name"}, nil)
	agentsDesc = prometheus.NewDesc(Namespace+"_agents",
		"Agents known to the runtime by the type of their current status: ROUTABLE (Available), CUSTOM or OFFLINE.",
		[]string{"instance_id", "status_type"}, nil)
)

type runtimeCollector struct{ c *center.Center }

func (r *runtimeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueContactsDesc
	ch <- queueOldestDesc
	ch <- agentsDesc
}

func (r *runtimeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := scrapeContext()
	defer cancel()
	live := r.c.LiveCounts(ctx)
	for _, q := range live.Queues {
		ch <- prometheus.MustNewConstMetric(queueContactsDesc, prometheus.GaugeValue, float64(q.Waiting), q.InstanceID, q.QueueID, q.QueueName, "waiting")
		ch <- prometheus.MustNewConstMetric(queueContactsDesc, prometheus.GaugeValue, float64(q.Offered), q.InstanceID, q.QueueID, q.QueueName, "offered")
		if !q.OldestEnqueuedAt.IsZero() {
			ch <- prometheus.MustNewConstMetric(queueOldestDesc, prometheus.GaugeValue, float64(q.OldestEnqueuedAt.UnixMilli())/1000, q.InstanceID, q.QueueID, q.QueueName)
		}
	}
	for _, a := range live.Agents {
		ch <- prometheus.MustNewConstMetric(agentsDesc, prometheus.GaugeValue, float64(a.Agents), a.InstanceID, a.StatusType)
	}
}
