using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// `http-request use-service prometheus-exporter [if COND]`: answers the request with the metrics of
/// <see cref="PrometheusExporter"/>. The rule returns a placeholder response that the pipeline completes through
/// <see cref="Resolve"/>, because rules see the request but not the running configuration's counters.
/// </summary>
internal sealed class PrometheusServiceRule : HttpRequestRule
{
    private const string Decision = "use-service";

    private static readonly RuleResponse Placeholder =
        new(200, PrometheusText.ContentType, null, null, Decision, PrometheusExporter.ServiceName) { CacheControl = "no-cache" };

    public static PrometheusServiceRule? Parse(List<string> args, List<string> problems)
    {
        if (args.Count == 1 && args[0] == PrometheusExporter.ServiceName)
        {
            return new PrometheusServiceRule();
        }

        problems.Add(args.Count == 1
            ? $"service '{args[0]}' is not supported; the only service is {PrometheusExporter.ServiceName}"
            : $"expects one service name, such as 'http-request use-service {PrometheusExporter.ServiceName} if {{ path /metrics }}'");
        return null;
    }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = Placeholder;
        return RuleOutcome.Respond;
    }

    /// <summary>Returns the metrics response for this rule's placeholder; any other response is returned unchanged.</summary>
    public static RuleResponse Resolve(RuleResponse response, RoutingState state) =>
        ReferenceEquals(response, Placeholder) ? Placeholder with { Body = PrometheusExporter.Build(state) } : response;
}
