using Gatehouse.Compat.Tests.Harness;
using Gatehouse.Compat.Tests.Scenarios;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;

namespace Gatehouse.Compat.Tests;

/// <summary>The `map*` converters side by side with HAProxy, each reading its own map file from a temporary folder.</summary>
public sealed class MapConverterDiffTests : IClassFixture<OriginServers>, IDisposable
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["str"] = "alpha one\nbeta two\nalpha shadowed\n",
        ["beg"] = "/api/ api\n/api/v2/ api-v2\n/static static\n",
        ["end"] = ".jpg image\n.css style\n",
        ["sub"] = "admin admin\nlogin login\n",
        ["dir"] = "img images\nshop/cart cart\n",
        ["reg"] = "^/item/[0-9]+$ item\n^/user/ user\n",
        ["int"] = "42 answer\n7 seven\n",
        ["ip"] = "10.0.0.0/8 net8\n10.1.0.0/16 net16\n192.168.1.5 host\n",
    };

    private readonly OriginServers _origins;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gh-map-conv-");

    public MapConverterDiffTests(OriginServers origins)
    {
        _origins = origins;
        foreach (var (kind, content) in Files)
        {
            File.WriteAllText(Path.Combine(_directory.FullName, kind + ".map"), content);
        }
    }

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task MapConverters_SameAsHaproxy()
    {
        var map = (string kind) => Path.Combine(_directory.FullName, kind + ".map");
        var format = string.Join(' ',
            $"str=%[req.hdr(x-key),map({map("str")},none)]",
            $"beg=%[path,map_beg({map("beg")},none)]",
            $"end=%[path,map_end({map("end")})]",
            $"sub=%[path,map_sub({map("sub")},none)]",
            $"dir=%[path,map_dir({map("dir")},none)]",
            $"reg=%[path,map_reg({map("reg")},none)]",
            $"int=%[req.hdr(x-number),map_int({map("int")},none)]",
            $"ip=%[req.hdr(x-ip),map_ip({map("ip")},none)]",
            $"lower=%[req.hdr(x-key),lower,map_str({map("str")},none)]");
        var scenario = new CompatScenario(
            "map converters",
            $"http-request return status 200 content-type text/plain lf-string \"{format}\"\ndefault_backend b1",
            CompatScenario.Backend("b1", "s1"),
            [
                Get("/api/v2/users", "x-key: alpha", "x-number: 42", "x-ip: 10.1.2.3"),
                Get("/static/a.jpg", "x-key: beta", "x-number: 7", "x-ip: 10.9.9.9"),
                Get("/shop/cart/img", "x-key: ALPHA", "x-number: 8", "x-ip: 192.168.1.5"),
                Get("/item/123", "x-key: gamma", "x-number: abc", "x-ip: 172.16.0.1"),
                Get("/user/admin/login.css", "x-ip: nonsense"),
                Get("/images/x"),
            ]);

        var differences = await DifferentialRunner.CompareAsync(scenario, _origins);

        Assert.True(differences.Count == 0, "Gatehouse differs from HAProxy:\n" + string.Join("\n", differences));
    }
}
