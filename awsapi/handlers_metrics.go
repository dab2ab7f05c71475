package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// GetCurrentMetricData handles the operation of the same name.
func (h *Handlers) GetCurrentMetricData(ctx context.Context, in *cw.GetCurrentMetricDataRequest) (*cw.GetCurrentMetricDataResponse, error) {
	p := domain.CurrentMetricsParams{InstanceID: deref(in.InstanceId), NextToken: deref(in.NextToken), MaxResults: int(deref(in.MaxResults))}
	if f := in.Filters; f != nil {
		p.Queues, p.RoutingProfiles, p.RoutingStepExpressions = f.Queues, f.RoutingProfiles, f.RoutingStepExpressions
		p.AgentStatuses, p.Subtypes, p.ValidationTestTypes = f.AgentStatuses, f.Subtypes, f.ValidationTestTypes
		for _, c := range f.Channels {
			p.Channels = append(p.Channels, string(c))
		}
	}
	for _, g := range in.Groupings {
		p.Groupings = append(p.Groupings, string(g))
	}
	for _, m := range in.CurrentMetrics {
		p.Metrics = append(p.Metrics, domain.CurrentMetric{Name: string(m.Name), MetricID: deref(m.MetricId), Unit: string(m.Unit)})
	}
	if len(in.SortCriteria) > 0 {
		p.SortMetric, p.SortOrder = string(in.SortCriteria[0].SortByMetric), string(in.SortCriteria[0].SortOrder)
	}
	page, err := h.svc.GetCurrentMetricData(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &cw.GetCurrentMetricDataResponse{NextToken: ptr(page.NextToken), DataSnapshotTime: wtime(page.SnapshotTime),
		ApproximateTotalCount: ref(int64(page.Total)), MetricResults: []cw.CurrentMetricResult{}}
	for _, r := range page.Results {
		d := &cw.Dimensions{Channel: cw.Channel(r.Channel), RoutingStepExpression: ptr(r.RoutingStepExpression)}
		if r.QueueID != "" {
			d.Queue = &cw.QueueReference{Id: ref(r.QueueID), Arn: ref(r.QueueArn)}
		}
		if r.RoutingProfileID != "" {
			d.RoutingProfile = &cw.RoutingProfileReference{Id: ref(r.RoutingProfileID), Arn: ref(r.RoutingProfileArn)}
		}
		if r.AgentStatusID != "" {
			d.AgentStatus = &cw.AgentStatusIdentifier{Id: ref(r.AgentStatusID), Arn: ref(r.AgentStatusArn)}
		}
		res := cw.CurrentMetricResult{Dimensions: d, Collections: make([]cw.CurrentMetricData, len(r.Collections))}
		for i, c := range r.Collections {
			res.Collections[i] = cw.CurrentMetricData{Metric: &cw.CurrentMetric{Name: cw.CurrentMetricName(c.Name), Unit: cw.Unit(c.Unit)}, Value: c.Value}
		}
		out.MetricResults = append(out.MetricResults, res)
	}
	return out, nil
}
