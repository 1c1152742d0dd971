using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class ConfigErrorTests
{
    private const string Units = "a time such as 30s or 500ms (units us, ms, s, m, h, d; no unit means ms)";

    // Line 3 is inside the frontend, line 6 inside the backend after server s1 on line 5.
    private static string WithFrontendLine(string line) =>
        $"frontend fe\n    bind 127.0.0.1:0\n    {line}\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n";

    private static string WithBackendLine(string line) =>
        $"frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n    {line}\n";

    private static IReadOnlyList<string> Errors(string text)
    {
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));
        return exception.Errors;
    }

    [Theory]
    [InlineData("use-backend be", "t.cfg:3: unknown keyword 'use-backend' in 'frontend' section; did you mean 'use_backend'?")]
    [InlineData("server s2 127.0.0.1:1", "t.cfg:3: 'server' is not allowed in a 'frontend' section; it belongs in backend")]
    [InlineData("retries 3", "t.cfg:3: 'retries' is not allowed in a 'frontend' section; it belongs in defaults, backend")]
    [InlineData("timeout server 5x", "t.cfg:3: 'timeout server' expects " + Units + ", got '5x'")]
    [InlineData("timeout check 5s", "t.cfg:3: 'timeout check' is not supported yet")]
    [InlineData("timeout serve 5s", "t.cfg:3: 'timeout' expects one of connect, client, server, queue, http-request, http-keep-alive, tunnel, got 'serve'; did you mean 'server'?")]
    [InlineData("mode udp", "t.cfg:3: 'mode' expects 'http' or 'tcp', got 'udp'")]
    [InlineData("option httpchk", "t.cfg:3: 'option httpchk' is not allowed in a 'frontend' section; it belongs in defaults, backend")]
    [InlineData("option forwardfro", "t.cfg:3: unknown option 'forwardfro'; expected one of forwardfor, httplog, http-server-close, http-keep-alive, httpchk, redispatch, allbackups; did you mean 'forwardfor'?")]
    [InlineData("option forwardfor except nonsense", "t.cfg:3: 'option forwardfor except' expects an address or CIDR network such as 10.0.0.0/8, got 'nonsense'")]
    [InlineData("maxconn abc", "t.cfg:3: 'maxconn' expects one positive integer, got 'abc'")]
    [InlineData("use_backend bee", "t.cfg:3: 'use_backend' names backend 'bee', which is not defined; did you mean 'be'?")]
    [InlineData("use_backend be if is_api", "t.cfg:3: 'use_backend' uses acl 'is_api', which is not defined in frontend 'fe'; add 'acl is_api ...'")]
    [InlineData("use_backend be if", "t.cfg:3: 'use_backend': 'if' expects an acl name before and after each '||'")]
    [InlineData("acl a paht_beg /x", "t.cfg:3: 'acl a': unknown sample fetch 'paht_beg'; did you mean 'path_beg'?")]
    [InlineData("acl a path_beg", "t.cfg:3: 'acl a': expects at least one pattern after 'path_beg', or '-m found' to test that a value exists")]
    [InlineData("acl a path -m foo x", "t.cfg:3: 'acl a': unknown match method '-m foo'; expected str, beg, end, sub, dir, reg, found, int, ip or bool")]
    [InlineData("acl a path -m len 3", "t.cfg:3: 'acl a': match method '-m len' is not supported yet")]
    [InlineData("acl a src 10.0.0.0/33", "t.cfg:3: 'acl a': invalid address pattern '10.0.0.0/33'; expected an IP address or a CIDR network such as 10.0.0.0/8")]
    [InlineData("acl a hdr /x", "t.cfg:3: 'acl a': sample fetch 'hdr' expects a name argument, such as hdr(x-example)")]
    [InlineData("acl a hdr(host),lowr x", "t.cfg:3: 'acl a': unknown converter 'lowr' in 'hdr(host),lowr'; supported converters are lower, upper, field, word, jwt_header_query, jwt_payload_query, map, map_str, map_beg, map_end, map_sub, map_dir, map_reg, map_int, map_ip; did you mean 'lower'?")]
    [InlineData("acl a hdr_cnt(host) gt x", "t.cfg:3: 'acl a': operator 'gt' expects an integer after it")]
    [InlineData("acl a path -f missing.lst", "t.cfg:3: 'acl a': pattern file 'missing.lst' not found")]
    [InlineData("http-request deny deny_status abc", "t.cfg:3: 'http-request deny': expects a status code from 200 to 599 after 'deny_status', got 'abc'")]
    [InlineData("http-request track-sc0 src", "t.cfg:3: 'http-request track-sc0': frontend 'fe' has no stick-table; add one to it or name a table with 'table NAME'")]
    [InlineData("http-request denny", "t.cfg:3: 'http-request denny': unknown action 'denny'; expected one of allow, deny, return, set-header, add-header, del-header, set-src, redirect, set-path, replace-header, replace-path, set-query, cache-use, use-service; did you mean 'deny'?")]
    [InlineData("http-request deny string x", "t.cfg:3: 'http-request deny': expects 'content-type' when a body is given with 'string' or 'lf-string'")]
    [InlineData("http-request set-header X-A", "t.cfg:3: 'http-request set-header': expects a header name and a value, got 1 arguments; quote a value that contains spaces")]
    [InlineData("http-request set-header X-A %cix", "t.cfg:3: 'http-request set-header': log-format variable '%cix' in '%cix' is not supported yet; use %ci, %cp, %fi, %fp, %H, %hr, %hs, %hrl, %hsl, %t, %tr, %ft, %f, %b, %s, %TR, %Tq, %Tw, %Tc, %Tr, %Ta, %Tt, %ST, %B, %U, %CC, %CS, %ts, %tsc, %ac, %fc, %bc, %sc, %rc, %sq, %bq, %r, %HM, %HU, %HV, %ID, %pid, %[fetch] or write %% for a percent sign")]
    [InlineData("http-request set-header X-A \"a %Tx\"", "t.cfg:3: 'http-request set-header': log-format variable '%Tx' in 'a %Tx' is not supported yet; use %ci, %cp, %fi, %fp, %H, %hr, %hs, %hrl, %hsl, %t, %tr, %ft, %f, %b, %s, %TR, %Tq, %Tw, %Tc, %Tr, %Ta, %Tt, %ST, %B, %U, %CC, %CS, %ts, %tsc, %ac, %fc, %bc, %sc, %rc, %sq, %bq, %r, %HM, %HU, %HV, %ID, %pid, %[fetch] or write %% for a percent sign")]
    [InlineData("http-request set-header X-A 5%", "t.cfg:3: 'http-request set-header': log-format variable '%' in '5%' is not supported yet; use %ci, %cp, %fi, %fp, %H, %hr, %hs, %hrl, %hsl, %t, %tr, %ft, %f, %b, %s, %TR, %Tq, %Tw, %Tc, %Tr, %Ta, %Tt, %ST, %B, %U, %CC, %CS, %ts, %tsc, %ac, %fc, %bc, %sc, %rc, %sq, %bq, %r, %HM, %HU, %HV, %ID, %pid, %[fetch] or write %% for a percent sign")]
    [InlineData("http-request redirect scheme", "t.cfg:3: 'http-request redirect': expects 'location URL', 'prefix URL' or 'scheme SCHEME', optionally followed by 'code N' and 'drop-query'")]
    [InlineData("http-request redirect scheme https append-slash", "t.cfg:3: 'http-request redirect': redirect option 'append-slash' is not supported yet")]
    [InlineData("http-request redirect scheme https code 200", "t.cfg:3: 'http-request redirect': expects 301, 302, 303, 307 or 308 after 'code'")]
    [InlineData("redirect scheme", "t.cfg:3: 'redirect': expects 'location URL', 'prefix URL' or 'scheme SCHEME', optionally followed by 'code N' and 'drop-query'")]
    [InlineData("redirect prefix /x code 399 if { path_beg /a }", "t.cfg:3: 'redirect': expects 301, 302, 303, 307 or 308 after 'code'")]
    [InlineData("redirect prefix /x if nope", "t.cfg:3: 'redirect' uses acl 'nope', which is not defined in frontend 'fe'; add 'acl nope ...'")]
    [InlineData("http-request replace-header X-A ^a", "t.cfg:3: 'http-request replace-header': expects a header name, a regex and a replacement, got 2 arguments")]
    [InlineData("http-request replace-path /a", "t.cfg:3: 'http-request replace-path': expects a regex and a replacement, got 1 arguments")]
    [InlineData("http-request replace-path /a %[nope]", "t.cfg:3: 'http-request replace-path': unknown sample fetch 'nope'")]
    [InlineData("http-request set-query", "t.cfg:3: 'http-request set-query': expects one non-empty query value, such as x=1&%[query]")]
    [InlineData("http-request set-query a b", "t.cfg:3: 'http-request set-query': expects one non-empty query value, such as x=1&%[query]")]
    [InlineData("http-request return status 200 hdr X-A", "t.cfg:3: 'http-request return': expects a header name and a value after 'hdr'")]
    [InlineData("http-request deny deny_status 418", "t.cfg:3: 'http-request deny': has no built-in error page for status 418; add 'content-type' and 'string', or use one of 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504")]
    [InlineData("http-response set-status 200", "t.cfg:3: 'http-response set-status': action 'set-status' is not supported yet")]
    [InlineData("bind 127.0.0.1:0 accept-proxy", "t.cfg:3: 'bind' option 'accept-proxy' is not supported yet")]
    [InlineData("bind 127.0.0.1", "t.cfg:3: 'bind' expects HOST:PORT, got '127.0.0.1'; the port is required")]
    [InlineData("bind example.com:80", "t.cfg:3: 'bind' expects an IP address, '*' or 'localhost' before the port in 'example.com:80', got 'example.com'")]
    [InlineData("edge-assertion require jwks not-a-url", "t.cfg:3: 'edge-assertion' expects an absolute http or https JWKS URL, got 'not-a-url'")]
    [InlineData("edge-assertion demand jwks http://x/", "t.cfg:3: 'edge-assertion' expects 'require jwks URL' or 'optional jwks URL'")]
    [InlineData("bind \"127.0.0.1:0", "t.cfg:3: unterminated double quote; close it with \"")]
    [InlineData("bind \"${NOPE}\"", "t.cfg:3: variable 'NOPE' is not set; set it or give a default with \"${NOPE-value}\"")]
    public void Parse_FrontendLine_ReportsExactError(string line, string expected)
    {
        var errors = Errors(WithFrontendLine(line));

        Assert.Equal(expected, Assert.Single(errors).Split(" (looked for")[0]);
    }

    [Theory]
    [InlineData("server s1 127.0.0.1:9001", "t.cfg:6: 'server' name 's1' is already used in backend 'be' at t.cfg:5; server names must be unique")]
    [InlineData("server s2 127.0.0.1", "t.cfg:6: 'server s2' expects HOST:PORT, got '127.0.0.1'; the port is required")]
    [InlineData("server s2 127.0.0.1:0", "t.cfg:6: 'server s2' expects a port from 1 to 65535 in '127.0.0.1:0'")]
    [InlineData("server s2 127.0.0.1:9001 ssl", "t.cfg:6: 'server s2' verify is enabled by default but no CA file is specified; add 'ca-file FILE' (or 'ca-file @system-ca'), or 'verify none' when the server's certificate need not be checked")]
    [InlineData("server s2 127.0.0.1:9001 send-proxy", "t.cfg:6: 'server s2' option 'send-proxy' is not supported yet")]
    [InlineData("server s2 127.0.0.1:9001 wieght 2", "t.cfg:6: 'server s2' has unknown option 'wieght'; expected one of weight, maxconn, maxqueue, backup, disabled, check, inter, fastinter, downinter, rise, fall, cookie, ssl, verify, ca-file, sni, verifyhost, alpn, crt, check-ssl, proto, observe, error-limit, on-error; did you mean 'weight'?")]
    [InlineData("server s2 127.0.0.1:9001 weight 300", "t.cfg:6: 'server s2' option 'weight' expects an integer from 0 to 256, got '300'")]
    [InlineData("balance leastconnn", "t.cfg:6: 'balance' expects one of roundrobin, static-rr, leastconn, first, random, source, uri, url_param, hdr(NAME), got 'leastconnn'; did you mean 'leastconn'?")]
    [InlineData("balance rdp-cookie", "t.cfg:6: 'balance rdp-cookie' is not supported yet")]
    [InlineData("balance uri depth x", "t.cfg:6: 'balance uri' expects a positive integer after 'depth'")]
    [InlineData("balance uri len 0", "t.cfg:6: 'balance uri' expects a positive integer after 'len'")]
    [InlineData("balance uri path-only", "t.cfg:6: 'balance uri' option 'path-only' is not supported yet")]
    [InlineData("balance uri hole", "t.cfg:6: unknown 'balance uri' option 'hole'; expected 'whole', 'len N' or 'depth N'")]
    [InlineData("balance url_param", "t.cfg:6: 'balance url_param' expects one parameter name")]
    [InlineData("balance url_param id check_post", "t.cfg:6: 'balance url_param' option 'check_post' is not supported yet")]
    [InlineData("balance hdr()", "t.cfg:6: 'balance hdr' expects a header name in parentheses, such as hdr(host), got 'hdr()'")]
    [InlineData("balance hdr(host) use_domain_only", "t.cfg:6: 'balance hdr' option 'use_domain_only' is not supported yet")]
    [InlineData("balance hdr(host) x", "t.cfg:6: 'balance hdr(host)' takes no further arguments, got 'x'")]
    [InlineData("hash-type ring", "t.cfg:6: 'hash-type' expects 'map-based' or 'consistent', optionally followed by 'sdbm' or 'djb2', got 'ring'")]
    [InlineData("hash-type consistent crc32", "t.cfg:6: hash function 'crc32' is not supported yet; use 'sdbm' or 'djb2'")]
    [InlineData("hash-type consistent md5", "t.cfg:6: unknown hash function 'md5'; expected 'sdbm' or 'djb2'")]
    [InlineData("default_backend be", "t.cfg:6: 'default_backend' is not allowed in a 'backend' section; it belongs in frontend")]
    [InlineData("maxconn 10", "t.cfg:6: 'maxconn' is not allowed in a 'backend' section; it belongs in defaults, frontend")]
    [InlineData("http-request deny if !is_ok", "t.cfg:6: 'http-request deny' uses acl 'is_ok', which is not defined in backend 'be'; add 'acl is_ok ...'")]
    public void Parse_BackendLine_ReportsExactError(string line, string expected)
    {
        var errors = Errors(WithBackendLine(line));

        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void Parse_InvalidRegex_NamesPattern()
    {
        var errors = Errors(WithFrontendLine("acl a path_reg (a"));

        Assert.StartsWith("t.cfg:3: 'acl a': invalid regular expression '(a': ", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnsupportedGlobalKeyword_ReportsNotSupported()
    {
        var errors = Errors("global\n    nbthread 4\n" + WithBackendLine("balance roundrobin"));

        Assert.Equal("t.cfg:2: 'nbthread' is not supported yet in the 'global' section", Assert.Single(errors));
    }

    [Fact]
    public void Parse_UnknownGlobalKeyword_SuggestsClosest()
    {
        var errors = Errors("global\n    maxcon 4\n" + WithBackendLine("balance roundrobin"));

        Assert.Equal("t.cfg:2: unknown keyword 'maxcon' in 'global' section; expected maxconn, log, stats socket or gatehouse-decisions; did you mean 'maxconn'?", Assert.Single(errors));
    }

    [Fact]
    public void Parse_KeywordBeforeSection_ReportsIt()
    {
        var errors = Errors("maxconn 5\n" + WithBackendLine("balance roundrobin"));

        Assert.Equal("t.cfg:1: 'maxconn' appears before any section; start one with global, defaults, frontend, backend or listen", Assert.Single(errors));
    }

    [Fact]
    public void Parse_UnsupportedSection_ReportsItAndSkipsItsLines()
    {
        var errors = Errors("resolvers dns\n    nameserver a 127.0.0.1:53\n" + WithBackendLine("balance roundrobin"));

        Assert.Equal("t.cfg:1: section 'resolvers' is not supported yet; its lines are skipped", Assert.Single(errors));
    }

    [Fact]
    public void Parse_FrontendWithoutBind_ReportsIt()
    {
        var errors = Errors("frontend fe\n    default_backend be\nbackend be\n");

        Assert.Equal("t.cfg:1: frontend 'fe' has no 'bind' line; add one such as 'bind 127.0.0.1:8080'", Assert.Single(errors));
    }

    [Fact]
    public void Parse_DuplicateBackend_ReportsIt()
    {
        var errors = Errors(WithBackendLine("balance roundrobin") + "backend be\n");

        Assert.Equal("t.cfg:7: 'backend' name 'be' is already used at t.cfg:4; backend names must be unique", Assert.Single(errors));
    }

    [Fact]
    public void Parse_UnknownDefaultsParent_ReportsIt()
    {
        var errors = Errors("defaults base\n    mode http\nfrontend fe from bsae\n    bind 127.0.0.1:0\n");

        Assert.Equal("t.cfg:3: 'frontend' inherits from defaults 'bsae', which is not defined above; did you mean 'base'?", Assert.Single(errors));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllInLineOrder()
    {
        var text = "frontend fe\n    bind 127.0.0.1:0\n    use-backend be\n    timeout client x\n    default_backend nowhere\n";

        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));

        Assert.Equal(3, exception.Errors.Count);
        Assert.StartsWith("t.cfg:3: ", exception.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("t.cfg:4: ", exception.Errors[1], StringComparison.Ordinal);
        Assert.StartsWith("t.cfg:5: ", exception.Errors[2], StringComparison.Ordinal);
        Assert.Contains(exception.Errors[2], exception.Message, StringComparison.Ordinal);
    }
}
