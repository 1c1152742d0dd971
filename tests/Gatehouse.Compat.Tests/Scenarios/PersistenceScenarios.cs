using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>Cookie persistence: the `cookie` keyword in its three modes and the server `cookie` option.</summary>
internal static class PersistenceScenarios
{
    private const string Servers = """
        server s1 "${S1}" cookie c1
        server s2 "${S2}" cookie c2
        server s3 "${S3}" cookie c3
        """;

    public static IEnumerable<CompatScenario> All() =>
    [
        Persist("cookie insert new clients", "cookie SRV insert", Servers, Get("/a"), Get("/b"), Get("/c")),
        Persist("cookie insert valid cookie", "cookie SRV insert", Servers,
            Get("/", "Cookie: SRV=c2"), Get("/", "Cookie: a=1; SRV=c3; b=2"), Get("/")),
        Persist("cookie insert indirect nocache", "cookie SRV insert indirect nocache", Servers,
            Get("/", "Cookie: SRV=c3; other=1"), Get("/", "Cookie: SRV=c2"), Get("/"),
            Get("/", "x-script-header: Cache-Control: max-age=60"), Get("/", "x-script-header: ETag: \"v1\""),
            Get("/", "x-script-header: Cache-Control: max-age=60, private")),
        Persist("cookie unknown value", "cookie SRV insert indirect", Servers, Get("/", "Cookie: SRV=nope"), Get("/")),
        Persist("cookie insert flags", "cookie SRV insert httponly secure domain .example.test attr SameSite=Lax", Servers, Get("/")),
        Persist("cookie server without value", "cookie SRV insert", "server s1 \"${S1}\"\nserver s2 \"${S2}\" cookie c2",
            Get("/"), Get("/")),
        Persist("cookie disabled server", "cookie SRV insert", Servers.Replace("cookie c2", "cookie c2 disabled", StringComparison.Ordinal),
            Get("/", "Cookie: SRV=c2")),
        Persist("cookie insert removes server cookie", "cookie SRV insert", Servers,
            Get("/", "x-script-header-1: Set-Cookie: SRV=mine; Path=/", "x-script-header-2: Set-Cookie: keep=1")),
        Persist("cookie insert preserve", "cookie SRV insert preserve", Servers,
            Get("/", "x-script-header: Set-Cookie: SRV=mine"), Get("/")),
        Persist("cookie rewrite", "cookie SRV rewrite", Servers,
            Get("/", "x-script-header: Set-Cookie: SRV=session; Path=/app"), Get("/", "Cookie: SRV=c3"), Get("/")),
        Persist("cookie prefix", "cookie SRV prefix", Servers,
            Get("/", "Cookie: SRV=c2~abc; z=1", "x-script-header: Set-Cookie: SRV=xyz; HttpOnly"), Get("/", "Cookie: SRV=plain")),
        Persist("cookie in defaults", "", Servers, Get("/"), Get("/", "Cookie: SRV=c1")) with
        {
            Defaults = "cookie SRV insert indirect",
        },
    ];

    private static CompatScenario Persist(string name, string cookieLine, string servers, params ProbeRequest[] requests) =>
        new(name, "default_backend b1", $"backend b1\n    {cookieLine}\n" + Indent(servers), requests)
        {
            ExtraResponseHeaders = ["set-cookie", "cache-control"],
        };

    private static string Indent(string lines) =>
        string.Join("\n", lines.Split('\n').Select(line => "    " + line.Trim())) + "\n";
}
