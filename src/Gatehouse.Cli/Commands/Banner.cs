using System.Text;
using Gatehouse.Cli.Stack;

namespace Gatehouse.Cli.Commands;

/// <summary>The short start-up banner of <c>gatehouse up</c>: addresses and commands to try.</summary>
internal static class Banner
{
    public static string Render(DemoStack stack)
    {
        var edge = stack.Edge.Address.ToString().TrimEnd('/');
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("Gatehouse is up.");
        text.AppendLine($"  edge        {edge}");
        text.AppendLine($"  balancer    {stack.BalancerAddress.ToString().TrimEnd('/')}  (accepts only requests with an edge assertion)");
        if (stack.StatsAddress is { } stats)
        {
            var root = stats.ToString().TrimEnd('/');
            text.AppendLine($"  stats       {root}/stats  (Prometheus metrics at {root}/metrics)");
        }

        if (stack.EdgeMetricsAddress is { } edgeMetrics)
        {
            var root = edgeMetrics.ToString().TrimEnd('/');
            text.AppendLine($"  edge stats  {root}/  (Prometheus metrics at {root}{stack.Edge.MetricsPath})");
        }

        text.AppendLine($"  dev issuer  {stack.Issuer.IssuerUri}  (users alice, bob, carol)");
        foreach (var pool in stack.Origins.GroupBy(origin => origin.Pool))
        {
            text.AppendLine($"  pool {pool.Key,-7}{string.Join("  ", pool.Select(o => $"{o.Server}={o.Address.Authority}"))}");
        }

        text.AppendLine($"  records     {stack.EdgeDecisions.FilePath}");
        text.AppendLine($"              {stack.BalancerDecisions.FilePath}");
        foreach (var sink in stack.ConfiguredDecisionSinks)
        {
            text.AppendLine($"              {sink}");
        }

        text.AppendLine();
        text.AppendLine("Try:");
        text.AppendLine($"  curl -i {edge}/static/hello.txt");
        text.AppendLine($"  curl -i {edge}/api/public/hello");
        text.AppendLine($"  curl -i {edge}/api/orders                      # 401 without a token");
        text.AppendLine($"  curl -i -H \"Authorization: Bearer $(./gatehouse token --user alice)\" {edge}/api/orders");
        text.AppendLine($"  curl -i -H \"Authorization: Bearer $(./gatehouse token --user bob)\" {edge}/admin/panel");
        text.AppendLine();
        text.Append("Press Ctrl-C to stop.");
        return text.ToString();
    }
}
