namespace Gatehouse.Balancer.Tests.Fuzz;

/// <summary>
/// Real haproxy.cfg lines to mutate: examples/haproxy.cfg, every config line found in the balancer tests'
/// source, and a few lines that reach parsers the tests rarely use.
/// </summary>
internal static class ConfigCorpus
{
    private static readonly string[] Keywords =
    [
        "global", "defaults", "frontend", "backend", "listen", "cache", "bind", "server", "acl", "http-request",
        "http-response", "http-after-response", "use_backend", "default_backend", "timeout", "balance", "option",
        "stick-table", "stick", "tcp-request", "tcp-response", "mode", "errorfile", "cookie", "retries", "retry-on",
        "http-check", "compression", "capture", "log", "maxconn", "stats", "hash-type", "redirect", "default-server",
        "edge-assertion", "total-max-size", "max-age", "errorfiles", "http-error", "fullconn", "source",
    ];

    private static readonly string[] Extra =
    [
        "acl a path_beg -i /a /b /c",
        "acl b hdr(host) -m reg ^(www\\.)?example\\.com$",
        "acl c src 10.0.0.0/8 192.168.0.0/16 ::1",
        "http-request deny if { path_beg /x } !{ hdr(x) -m found } || { src 127.0.0.1 }",
        "http-request set-header X-Id %[req.hdr(host),lower,map(/nonexistent.map,def)]",
        "http-request redirect location https://%[hdr(host)]%[path] code 301 if !{ ssl_fc }",
        "http-request return status 200 content-type text/plain lf-string \"%[src] %ci:%cp\"",
        "stick-table type string len 32 size 1m expire 30s store conn_cur,gpc0,http_req_rate(10s)",
        "http-request track-sc1 req.hdr(x-user) table t1 if { req.hdr(x-user) -m found }",
        "server s1 127.0.0.1:80 weight 256 maxconn 10000 check inter 2s fall 3 rise 2 backup",
        "server s2 [::1]:8080 cookie s2 slowstart 10s",
        "timeout http-request 5s",
        "timeout http-keep-alive 1m",
        "timeout queue 2147483647ms",
        "balance uri whole depth 3 len 10",
        "balance hdr(User-Agent)",
        "hash-type consistent sdbm avalanche",
        "retry-on conn-failure 502 503 empty-response response-timeout",
        "http-check expect rstatus ^2[0-9]{2}$",
        "http-check send meth GET uri /health ver HTTP/1.1 hdr Host example.com",
        "compression algo gzip deflate",
        "compression type text/html \"text/plain; charset=utf-8\"",
        "capture request header User-Agent len 64",
        "option httpchk GET /health HTTP/1.1\\r\\nHost:\\ example.com",
        "cookie SRV insert indirect nocache maxidle 30m maxlife 8h domain .example.com",
        "errorfile 503 /nonexistent/503.http",
        "stats socket 127.0.0.1:0 level admin",
        "bind 127.0.0.1:0 ssl crt /nonexistent.pem alpn h2,http/1.1",
        "log 127.0.0.1:514 local0 info",
        "default-server inter 1s fall 2",
    ];

    /// <summary>The corpus lines, trimmed, without comments or blank lines.</summary>
    public static IReadOnlyList<string> Lines { get; } = Load();

    /// <summary>Section header lines, so mutated configs keep some structure.</summary>
    public static IReadOnlyList<string> Sections { get; } =
    [
        "global", "defaults", "defaults base", "frontend web", "backend app", "listen both", "cache c1",
        "frontend f2 from base", "backend b2 from missing",
    ];

    private static List<string> Load()
    {
        var lines = new HashSet<string>(Extra, StringComparer.Ordinal);
        var root = FindRoot();
        foreach (var line in File.ReadLines(Path.Combine(root, "examples", "haproxy.cfg")))
        {
            AddIfConfig(lines, line);
        }

        var tests = Path.Combine(root, "tests", "Gatehouse.Balancer.Tests");
        foreach (var file in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories))
        {
            if (!file.Contains($"{Path.DirectorySeparatorChar}Fuzz{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                foreach (var line in File.ReadLines(file))
                {
                    AddIfConfig(lines, line);
                }
            }
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }

    private static void AddIfConfig(HashSet<string> lines, string line)
    {
        var trimmed = line.Trim();
        var first = trimmed.Split(' ', 2)[0];
        if (trimmed.Length > 0 && !trimmed.StartsWith('#') && Keywords.Contains(first)
            && !trimmed.EndsWith(';') && !trimmed.Contains("\" +", StringComparison.Ordinal))
        {
            lines.Add(trimmed);
        }
    }

    // The source file's own path locates the repository even when build output lives elsewhere.
    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Gatehouse.slnx not found above " + source);
    }
}
