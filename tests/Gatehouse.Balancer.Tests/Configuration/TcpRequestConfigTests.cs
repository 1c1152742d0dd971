using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class TcpRequestConfigTests
{
    private static BalancerConfig Parse(string text) => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>());

    private static IReadOnlyList<string> Errors(string text) => Assert.Throws<ConfigException>(() => Parse(text)).Errors;

    private static string Frontend(string lines, string mode = "http") =>
        $"defaults\n    mode {mode}\nfrontend fe\n    bind 127.0.0.1:0\n    {lines}\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n";

    [Fact]
    public void TcpRequest_ConnectionAndContentRules_Parsed()
    {
        var config = Parse(Frontend("""
            stick-table type ip size 1k store conn_cnt
                tcp-request inspect-delay 5s
                tcp-request connection track-sc0 src
                tcp-request connection reject if { sc_conn_cnt(0) gt 10 }
                tcp-request content accept if { path_beg /ok }
                tcp-request content reject
            """));

        var frontend = config.Frontends[0];
        Assert.Equal(TimeSpan.FromSeconds(5), frontend.InspectDelay);
        Assert.Equal([TcpRuleAction.Counter, TcpRuleAction.Reject], frontend.TcpConnectionRules.Select(rule => rule.Action));
        Assert.Equal([TcpRuleAction.Accept, TcpRuleAction.Reject], frontend.TcpContentRules.Select(rule => rule.Action));
        Assert.Equal("t.cfg:9 tcp-request content accept", frontend.TcpContentRules[0].Name);
    }

    [Fact]
    public void ConnectionRule_HttpFetch_Reported()
    {
        var errors = Errors(Frontend("tcp-request connection reject if { path_beg /admin }"));

        var error = Assert.Single(errors);
        Assert.StartsWith("t.cfg:5: 'tcp-request connection reject': sample fetch 'path_beg' is not available in 'tcp-request connection' rules", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionRule_HttpFetchThroughNamedAcl_Reported()
    {
        var errors = Errors(Frontend("acl admin hdr(host) -i admin.test\n    tcp-request connection reject if admin"));

        Assert.Contains(errors, error => error.StartsWith("t.cfg:6: 'tcp-request connection reject': sample fetch 'hdr'", StringComparison.Ordinal));
    }

    [Fact]
    public void ConnectionTrack_HttpKey_Reported()
    {
        var errors = Errors(Frontend("stick-table type string size 1k\n    tcp-request connection track-sc0 hdr(host)"));

        Assert.Contains(errors, error => error.StartsWith("t.cfg:6: 'tcp-request connection track-sc0': sample fetch 'hdr'", StringComparison.Ordinal));
    }

    [Fact]
    public void ContentRule_HttpFetchInTcpMode_Reported()
    {
        var errors = Errors(Frontend("tcp-request content reject if { path / }", mode: "tcp"));

        Assert.Contains(errors, error => error.StartsWith("t.cfg:5: 'tcp-request content reject': sample fetch 'path' is not available in 'tcp-request content' rules in mode tcp", StringComparison.Ordinal));
    }

    [Fact]
    public void ContentRule_ResponseFetch_Reported()
    {
        var errors = Errors(Frontend("tcp-request content reject if { status 500 }"));

        Assert.Contains(errors, error => error.StartsWith("t.cfg:5: 'tcp-request content reject': sample fetch 'status'", StringComparison.Ordinal));
    }

    [Fact]
    public void TcpRequest_UnknownAction_ReportsExpectedActions()
    {
        var errors = Errors(Frontend("tcp-request connection rejct"));

        Assert.Contains(errors, error => error.StartsWith("t.cfg:5: 'tcp-request connection rejct': expects an action", StringComparison.Ordinal) && error.Contains("reject", StringComparison.Ordinal));
    }

    [Fact]
    public void TcpRequest_UnsupportedAction_SaysNotSupportedYet()
    {
        var errors = Errors(Frontend("tcp-request connection expect-proxy layer4"));

        Assert.Contains("t.cfg:5: 'tcp-request connection expect-proxy': action 'expect-proxy' is not supported yet", errors);
    }

    [Fact]
    public void TcpRequest_ArgumentsAfterReject_Reported()
    {
        var errors = Errors(Frontend("tcp-request content reject now"));

        Assert.Contains(errors, error => error.StartsWith("t.cfg:5: 'tcp-request content reject': takes no arguments", StringComparison.Ordinal));
    }

    [Fact]
    public void TcpRequest_UnknownStage_Reported()
    {
        var errors = Errors(Frontend("tcp-request conection reject"));

        Assert.Contains(errors, error => error.StartsWith("t.cfg:5: 'tcp-request' expects connection, content or inspect-delay, got 'conection'", StringComparison.Ordinal));
    }

    [Fact]
    public void InspectDelay_InvalidTime_Reported()
    {
        var errors = Errors(Frontend("tcp-request inspect-delay soon"));

        Assert.Contains(errors, error => error.StartsWith("t.cfg:5: 'tcp-request inspect-delay' expects a time", StringComparison.Ordinal));
    }

    [Fact]
    public void TcpRequest_InBackend_Reported()
    {
        var errors = Errors(Frontend("") + "    tcp-request content reject\n");

        Assert.Contains(errors, error => error.StartsWith("t.cfg:9: 'tcp-request' is not allowed in a 'backend' section", StringComparison.Ordinal));
    }
}
