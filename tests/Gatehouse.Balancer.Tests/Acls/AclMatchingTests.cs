using System.Net;
using Gatehouse.Balancer.Acls;
using Gatehouse.Trust.Assertions;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Tests.Acls;

public sealed class AclMatchingTests
{
    private static readonly EdgeAssertion Bob = new("rid-1", "203.0.113.9", "bob", ["staff", "admin"], "B", "allow");

    private static SampleContext Request(string target, string? assertionSubject = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Headers.Host = "Example.COM";
        http.Request.Headers["X-Multi"] = new(["a, b", "c"]);
        http.Request.Headers.Cookie = "session=abc; theme=dark";
        http.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        http.Connection.LocalPort = 8081;
        var sample = new SampleContext(http, target);
        sample.Assertion = assertionSubject is null ? null : Bob;
        return sample;
    }

    private static bool Matches(string definition, string target = "/api/v1/items?id=42&q=x", bool withAssertion = true)
    {
        var problems = new List<string>();
        var entry = AclParser.Parse(definition.Split(' '), AppContext.BaseDirectory, problems);
        Assert.Empty(problems);
        return entry!.Evaluate(Request(target, withAssertion ? "bob" : null));
    }

    [Theory]
    [InlineData("path /api/v1/items", true)]
    [InlineData("path /api/v1", false)]
    [InlineData("path_beg /api/ /admin/", true)]
    [InlineData("path_beg /admin/", false)]
    [InlineData("path_end /items", true)]
    [InlineData("path_sub v1", true)]
    [InlineData("path_reg ^/api/v[0-9]+/", true)]
    [InlineData("path_reg ^/API/", false)]
    [InlineData("path_reg -i ^/API/", true)]
    [InlineData("path -i /API/V1/ITEMS", true)]
    [InlineData("path -m beg /api", true)]
    [InlineData("url /api/v1/items?id=42&q=x", true)]
    [InlineData("base example.com/api/v1/items", false)]
    [InlineData("base -i example.com/api/v1/items", true)]
    [InlineData("query id=42&q=x", true)]
    [InlineData("url_param(id) 42", true)]
    [InlineData("url_param(id) -m int gt 40", true)]
    [InlineData("url_param(q) y", false)]
    [InlineData("url_param(missing) -m found", false)]
    [InlineData("method POST", true)]
    [InlineData("method post", false)]
    [InlineData("hdr(host) example.com", false)]
    [InlineData("hdr(host),lower example.com", true)]
    [InlineData("hdr(x-multi) b", true)]
    [InlineData("hdr(x-multi) c", true)]
    [InlineData("hdr_beg(host) -i exa", true)]
    [InlineData("hdr_cnt(x-multi) 3", true)]
    [InlineData("hdr_cnt(x-multi) lt 3", false)]
    [InlineData("hdr_cnt(x-multi) ge 3", true)]
    [InlineData("hdr_cnt(x-multi) ne 3", false)]
    [InlineData("hdr_cnt(x-multi) 1:5", true)]
    [InlineData("req.hdr(x-none) -m found", false)]
    [InlineData("req.hdr(host) -m found", true)]
    [InlineData("req.cook(theme) dark", true)]
    [InlineData("req.cook(theme) light", false)]
    [InlineData("src 10.0.0.0/8", true)]
    [InlineData("src 10.1.2.3", true)]
    [InlineData("src 192.168.0.0/16 ::1", false)]
    [InlineData("dst_port 8081", true)]
    [InlineData("dst_port gt 9000", false)]
    [InlineData("ssl_fc", false)]
    [InlineData("edge.sub bob", true)]
    [InlineData("edge.groups -m str admin", true)]
    [InlineData("edge.groups -m str root", false)]
    [InlineData("edge.groups,upper ADMIN", true)]
    [InlineData("edge.variant B", true)]
    [InlineData("edge.client -m ip 203.0.113.0/24", true)]
    [InlineData("edge.decision allow", true)]
    [InlineData("edge.verified", true)]
    public void Acl_WithAssertion_Matches(string definition, bool expected)
    {
        Assert.Equal(expected, Matches(definition));
    }

    [Theory]
    [InlineData("edge.verified", false)]
    [InlineData("edge.groups -m found", false)]
    [InlineData("edge.sub -m found", false)]
    public void Acl_WithoutAssertion_Matches(string definition, bool expected)
    {
        Assert.Equal(expected, Matches(definition, withAssertion: false));
    }

    [Fact]
    public void Acl_EncodedPath_IsMatchedRaw()
    {
        Assert.True(Matches("path /pkg/@scope%2fname", "/pkg/@scope%2fname"));
    }

    [Fact]
    public void Acl_DoubleDash_EndsFlags()
    {
        Assert.True(Matches("path -- -x", "-x"));
    }

    [Fact]
    public void Acl_PatternFile_IsRelativeToConfigFolder()
    {
        var folder = Directory.CreateTempSubdirectory("gatehouse-acl-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "paths.lst"), "# comment\n/nope/\n\n/api/\n");
            var problems = new List<string>();

            var entry = AclParser.Parse(["path_beg", "-f", "paths.lst"], folder.FullName, problems);

            Assert.Empty(problems);
            Assert.True(entry!.Evaluate(Request("/api/x")));
            Assert.False(entry.Evaluate(Request("/other")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("if a b", true)]
    [InlineData("if a !b", false)]
    [InlineData("unless a b", false)]
    [InlineData("if !a || b", true)]
    [InlineData("if !a or !b", false)]
    [InlineData("if c", true)]
    [InlineData("if { path_beg /admin/ } || { method POST }", true)]
    [InlineData("if !{ method POST }", false)]
    [InlineData("if TRUE !FALSE", true)]
    [InlineData("if METH_GET", false)]
    public void Condition_Logic_Evaluates(string text, bool expected)
    {
        var scope = new AclScope("frontend 'fe'");
        var problems = new List<string>();
        scope.Define("a", AclParser.Parse(["path_beg", "/api/"], "", problems)!);
        scope.Define("b", AclParser.Parse(["method", "POST"], "", problems)!);
        // Two lines with the same name are ORed.
        scope.Define("c", AclParser.Parse(["path", "/never"], "", problems)!);
        scope.Define("c", AclParser.Parse(["method", "POST"], "", problems)!);
        var words = text.Split(' ').Select(word => new Gatehouse.Balancer.Configuration.ConfigWord(word, false)).ToList();

        var condition = ConditionParser.Parse(words, scope, new("t.cfg", 1), "use_backend", "", problems);
        var errors = new Gatehouse.Balancer.Configuration.ConfigErrors();
        scope.Validate(errors);

        Assert.Empty(problems);
        Assert.Equal(0, errors.Count);
        Assert.Equal(expected, condition!.Evaluate(Request("/api/x")));
    }
}
