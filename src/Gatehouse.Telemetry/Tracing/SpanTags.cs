using System.Diagnostics;
using Gatehouse.Telemetry.Decisions;

namespace Gatehouse.Telemetry.Tracing;

/// <summary>Copies a decision record onto its tier's server span and ends the span.</summary>
public static class SpanTags
{
    /// <summary>
    /// Sets the OpenTelemetry HTTP attributes and Gatehouse's decision attributes, marks a 5xx status as
    /// an error, and stops <paramref name="activity"/>. Does nothing when it is null.
    /// </summary>
    public static void Finish(Activity? activity, DecisionRecord record)
    {
        if (activity is null)
        {
            return;
        }

        if (record.Method is { } method)
        {
            activity.DisplayName = method;
            activity.SetTag("http.request.method", method);
        }

        activity.SetTag("url.path", record.Path);
        activity.SetTag("http.response.status_code", record.Status);
        activity.SetTag("client.address", record.Client);
        activity.SetTag("gatehouse.request_id", record.RequestId);
        activity.SetTag("gatehouse.decision", record.Decision);
        activity.SetTag("gatehouse.rule", record.Rule);
        activity.SetTag("gatehouse.backend", record.Backend);
        activity.SetTag("gatehouse.server", record.Server);
        if (record.Status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error, record.Reason);
        }

        activity.Stop();
    }
}
