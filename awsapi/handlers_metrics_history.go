package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/metrics"
)

// MetricsHistory answers the historical metric operations (package
// metrics' Aggregator).
type MetricsHistory interface {
	GetMetricData(ctx context.Context, r metrics.V1Request) (*metrics.V1Page, error)
	GetMetricDataV2(ctx context.Context, r metrics.V2Request) (*metrics.V2Page, error)
}

// SetMetricsHistory connects the historical metric operations; without it
// they answer InternalServiceException.
func (s *Server) SetMetricsHistory(h MetricsHistory) { s.handlers.history = h }

func (h *Handlers) historyOrErr() (MetricsHistory, error) {
	if h.history == nil {
		return nil, domain.Errorf(domain.ErrInternal, "Historical metrics are not available on this server.")
	}
	return h.history, nil
}

// GetMetricData handles the operation of the same name.
func (h *Handlers) GetMetricData(ctx context.Context, in *cw.GetMetricDataRequest) (*cw.GetMetricDataResponse, error) {
	hist, err := h.historyOrErr()
	if err != nil {
		return nil, err
	}
	r := metrics.V1Request{InstanceID: deref(in.InstanceId), Start: dtime(in.StartTime), End: dtime(in.EndTime),
		NextToken: deref(in.NextToken), MaxResults: int(deref(in.MaxResults))}
	if f := in.Filters; f != nil {
		r.Queues = f.Queues
		for _, c := range f.Channels {
			r.Channels = append(r.Channels, string(c))
		}
		for name, n := range map[string]int{"RoutingProfiles": len(f.RoutingProfiles), "RoutingStepExpressions": len(f.RoutingStepExpressions),
			"AgentStatuses": len(f.AgentStatuses), "Subtypes": len(f.Subtypes), "ValidationTestTypes": len(f.ValidationTestTypes)} {
			if n > 0 {
				r.OtherFilters = append(r.OtherFilters, name)
			}
		}
	}
	for _, g := range in.Groupings {
		r.Groupings = append(r.Groupings, string(g))
	}
	for _, m := range in.HistoricalMetrics {
		vm := metrics.V1Metric{Name: string(m.Name), Statistic: string(m.Statistic), Unit: string(m.Unit)}
		if m.Threshold != nil {
			vm.Threshold = &metrics.V1Threshold{Comparison: string(m.Threshold.Comparison), Value: m.Threshold.ThresholdValue}
		}
		r.Metrics = append(r.Metrics, vm)
	}
	p, err := hist.GetMetricData(ctx, r)
	if err != nil {
		return nil, err
	}
	out := &cw.GetMetricDataResponse{NextToken: ptr(p.NextToken), MetricResults: []cw.HistoricalMetricResult{}}
	for _, row := range p.Rows {
		d := &cw.Dimensions{Channel: cw.Channel(row.Channel)}
		if row.QueueID != "" {
			d.Queue = &cw.QueueReference{Id: ref(row.QueueID), Arn: ref(row.QueueArn)}
		}
		res := cw.HistoricalMetricResult{Dimensions: d, Collections: make([]cw.HistoricalMetricData, len(p.Metrics))}
		for i, m := range p.Metrics {
			hm := &cw.HistoricalMetric{Name: cw.HistoricalMetricName(m.Name), Statistic: cw.Statistic(m.Statistic), Unit: cw.Unit(m.Unit)}
			if m.Threshold != nil {
				hm.Threshold = &cw.Threshold{Comparison: cw.Comparison(m.Threshold.Comparison), ThresholdValue: m.Threshold.Value}
			}
			res.Collections[i] = cw.HistoricalMetricData{Metric: hm, Value: row.Values[i]}
		}
		out.MetricResults = append(out.MetricResults, res)
	}
	return out, nil
}

// GetMetricDataV2 handles the operation of the same name.
func (h *Handlers) GetMetricDataV2(ctx context.Context, in *cw.GetMetricDataV2Request) (*cw.GetMetricDataV2Response, error) {
	hist, err := h.historyOrErr()
	if err != nil {
		return nil, err
	}
	r := metrics.V2Request{ResourceArn: deref(in.ResourceArn), Start: dtime(in.StartTime), End: dtime(in.EndTime),
		Groupings: in.Groupings, NextToken: deref(in.NextToken), MaxResults: int(deref(in.MaxResults))}
	if iv := in.Interval; iv != nil {
		r.IntervalPeriod, r.TimeZone = string(iv.IntervalPeriod), deref(iv.TimeZone)
	}
	for _, f := range in.Filters {
		vf := metrics.V2Filter{Key: deref(f.FilterKey), Values: f.FilterValues}
		vf.NotExists = f.StringCondition != nil && f.StringCondition.Comparison == "NOT_EXISTS"
		r.Filters = append(r.Filters, vf)
	}
	for _, m := range in.Metrics {
		vm := metrics.V2Metric{Name: deref(m.Name), MetricID: deref(m.MetricId)}
		for _, t := range m.Threshold {
			vm.Thresholds = append(vm.Thresholds, metrics.V2Threshold{Comparison: deref(t.Comparison), Value: t.ThresholdValue})
		}
		for _, f := range m.MetricFilters {
			vm.MetricFilters = append(vm.MetricFilters, metrics.V2MetricFilter{Key: deref(f.MetricFilterKey), Values: f.MetricFilterValues, Negate: deref(f.Negate)})
		}
		r.Metrics = append(r.Metrics, vm)
	}
	p, err := hist.GetMetricDataV2(ctx, r)
	if err != nil {
		return nil, err
	}
	out := &cw.GetMetricDataV2Response{NextToken: ptr(p.NextToken), MetricResults: []cw.MetricResultV2{}}
	for _, row := range p.Rows {
		res := cw.MetricResultV2{Dimensions: row.Dimensions, Collections: make([]cw.MetricDataV2, len(in.Metrics)),
			MetricInterval: &cw.MetricInterval{Interval: cw.IntervalPeriod(row.Period), StartTime: wtime(row.IntervalStart), EndTime: wtime(row.IntervalEnd)}}
		for i := range in.Metrics {
			res.Collections[i] = cw.MetricDataV2{Metric: &in.Metrics[i], Value: row.Values[i]}
		}
		out.MetricResults = append(out.MetricResults, res)
	}
	return out, nil
}
