using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class ResponseRuleConfigTests
{
    private static IReadOnlyList<string> Errors(string frontendLine) =>
        Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(
            $"frontend fe\n    bind 127.0.0.1:0\n    {frontendLine}\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n",
            "t.cfg",
            new Dictionary<string, string>())).Errors;

    [Theory]
    [InlineData("capture request header", "t.cfg:3: 'capture' expects 'request header NAME len N' or 'response header NAME len N', got 'request header'")]
    [InlineData("capture request header Host len 0", "t.cfg:3: 'capture request header' expects a length of 1 or more after 'len', got '0'")]
    [InlineData("capture cookie SRV len 10", "t.cfg:3: 'capture cookie' is not supported yet")]
    [InlineData("http-after-response set-var(txn.x) str(a)", "t.cfg:3: 'http-after-response set-var(txn.x)': action 'set-var(txn.x)' is not supported yet; supported are set-header, add-header, del-header, replace-header, set-status")]
    [InlineData("http-after-response set-status 99", "t.cfg:3: 'http-after-response set-status': expects a status code from 100 to 999, optionally followed by 'reason TEXT', got '99'")]
    [InlineData("http-after-response set-header X-A", "t.cfg:3: 'http-after-response set-header': expects a header name and a value, got 1 arguments; quote a value that contains spaces")]
    [InlineData("http-after-response replace-header X-A (a)", "t.cfg:3: 'http-after-response replace-header': expects a header name, a regular expression and a replacement")]
    [InlineData("http-after-response del-header X-A if nope", "t.cfg:3: 'http-after-response del-header' uses acl 'nope', which is not defined in frontend 'fe'; add 'acl nope ...'")]
    public void Invalid_Reported(string line, string expected)
    {
        Assert.Contains(expected, Errors(line));
    }

    [Fact]
    public void Capture_InBackend_Rejected()
    {
        var errors = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(
            "backend be\n    capture request header Host len 5\n    server s1 127.0.0.1:9000\n", "t.cfg", new Dictionary<string, string>())).Errors;

        Assert.Contains("t.cfg:2: 'capture' is not allowed in a 'backend' section; it belongs in frontend", errors);
    }
}
