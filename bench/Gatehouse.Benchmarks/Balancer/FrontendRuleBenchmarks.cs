using BenchmarkDotNet.Attributes;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;
using Gatehouse.Trust.Assertions;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Benchmarks.Balancer;

/// <summary>
/// The frontend of examples/haproxy.cfg applied to one request: its http-request rules (set-src and two
/// denies, five ACLs), then use_backend and default_backend. The loops repeat what the balancer's request
/// pipeline does between verifying the edge assertion and forwarding, without HTTP or the network.
/// </summary>
[MemoryDiagnoser]
public class FrontendRuleBenchmarks
{
    private FrontendConfig _frontend = null!;
    private DefaultHttpContext _http = null!;
    private EdgeAssertion _assertion = null!;

    /// <summary>Request paths: a staff API call that is forwarded, an admin call that is denied, a public call.</summary>
    [Params("/api/orders/42", "/admin/users", "/api/public/status")]
    public string Path { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var file = System.IO.Path.Combine(AppContext.BaseDirectory, "haproxy.cfg");
        // An empty variable set makes every ${NAME-default} take its default, whatever the environment holds.
        var config = BalancerConfigLoader.Parse(File.ReadAllText(file), file, new Dictionary<string, string>());
        _frontend = config.Frontends.Single(frontend => frontend.Name == "gateway");
        _http = new DefaultHttpContext();
        _http.Request.Method = "GET";
        _http.Request.Path = Path;
        _assertion = new EdgeAssertion("req-1", "203.0.113.7", "alice", ["staff"], null, "allow");
        if (Evaluate() is null)
        {
            throw new InvalidOperationException($"No rule or backend matched {Path}; the example configuration changed.");
        }
    }

    /// <summary>Returns the backend name, or the decision ("deny") of the rule that answered instead.</summary>
    [Benchmark]
    public string? Evaluate()
    {
        var sample = new SampleContext(_http, Path) { Assertion = _assertion };
        foreach (var rule in _frontend.RequestRules)
        {
            if (rule.Applies(sample) && rule.Execute(sample, out var response) == RuleOutcome.Respond)
            {
                return response!.Decision;
            }
        }

        foreach (var rule in _frontend.SwitchRules)
        {
            if (rule.Condition?.Evaluate(sample) ?? true)
            {
                return rule.Name;
            }
        }

        return _frontend.DefaultBackend?.Name;
    }
}
