using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Guests;
using Gatehouse.Edge.Logging;
using Gatehouse.Telemetry.Decisions;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.Pipeline;

/// <summary>Guest routes: the sanitized request goes to a Fastly Compute guest, which writes the response.</summary>
internal sealed partial class EdgeRequestHandler
{
    /// <summary>Header in which a guest on an auth = "token" route reads the subject the edge validated.</summary>
    public const string SubjectHeader = "X-Gatehouse-Subject";

    private async Task RunGuestAsync(
        HttpContext context, DecisionRecord record, EdgeRoute route, string path, string? subject, IReadOnlyList<string> groups, string? authentication)
    {
        record.Subject = subject;
        record.Groups = groups.Count == 0 ? null : groups;
        record.Reason = authentication;
        record.Decision = "guest";
        record.Backend = $"guest {route.Prefix}";
        record.Variant = _experiments.Assign(context, path, subject);

        // Inbound X-Gatehouse-* headers are already gone (RemoveSpoofable), so this one is always the edge's.
        if (subject is not null)
        {
            context.Request.Headers[SubjectHeader] = subject;
        }

        var ticket = new RelayTicket(record.RequestId, record.Client ?? string.Empty, subject, groups, record.Variant);
        var guestSpan = StartPhase(record, "guest");
        var outcome = await _guests!.RunAsync(route, context, ticket);
        EndPhase(guestSpan, outcome.Failure?.ToString());
        _metrics.RecordGuest(outcome);
        record.TimingsMs = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["guest_instantiate"] = outcome.InstantiateTime.TotalMilliseconds,
            ["guest_cpu"] = outcome.CpuTime.TotalMilliseconds,
            ["guest_wall"] = outcome.WallTime.TotalMilliseconds,
        };
        if (outcome.Failure is { } failure)
        {
            record.Reason = outcome.Cause is null ? $"guest failed: {failure}" : $"guest failed: {failure}: {outcome.Cause}";
            EdgeLog.GuestFailed(_logger, record.RequestId, route.Prefix, failure.ToString(), outcome.Cause ?? "none");
        }
    }
}
