using Gatehouse.Edge.Compute.Configuration;

namespace Gatehouse.Edge.Compute.Tests;

public sealed class FastlyTomlTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-toml-").FullName;

    [Fact]
    public void FastlyToml_LocalServer_LoadsEveryStoreKind()
    {
        File.WriteAllText(Path.Combine(_directory, "settings.json"), """{"mode":"fast"}""");
        Environment.SetEnvironmentVariable("GATEHOUSE_TEST_SECRET", "from-env");
        var path = Write("""
            [local_server.backends.origin]
            url = "http://127.0.0.1:9000"
            override_host = "example.com"

            [local_server.config_stores.inline]
            format = "inline-toml"
            [local_server.config_stores.inline.contents]
            greeting = "hi"

            [local_server.dictionaries.fromfile]
            format = "json"
            file = "settings.json"

            [[local_server.secret_stores.creds]]
            key = "token"
            env = "GATEHOUSE_TEST_SECRET"

            [[local_server.kv_stores.data]]
            key = "k"
            data = "v"
            """);

        var environment = FastlyToml.Load(path);

        Assert.Equal("example.com", environment.Backends["origin"].OverrideHost);
        Assert.Equal(9000, environment.Backends["origin"].Url.Port);
        Assert.Equal("hi", environment.ConfigStores["inline"]["greeting"]);
        Assert.Equal("fast", environment.ConfigStores["fromfile"]["mode"]);
        Assert.Equal("from-env", environment.SecretStores["creds"]["token"]);
        Assert.Equal("v"u8.ToArray(), environment.KvStores["data"].Get("k")!.Value);
    }

    [Fact]
    public void FastlyToml_BackendWithoutUrl_NamesFileLineAndKey()
    {
        var path = Write("""
            name = "demo"

            [local_server.backends.origin]
            override_host = "example.com"
            """);

        var exception = Assert.Throws<FastlyTomlException>(() => FastlyToml.Load(path));

        Assert.Equal($"{path}:3: [local_server.backends.origin] key 'url': missing; expected a string", Assert.Single(exception.Errors));
    }

    [Fact]
    public void FastlyToml_SyntaxError_NamesFileAndLine()
    {
        var path = Write("""
            [local_server.backends.origin]
            url = 
            """);

        var exception = Assert.Throws<FastlyTomlException>(() => FastlyToml.Load(path));

        Assert.StartsWith($"{path}:2:", exception.Errors[0]);
    }

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "fastly.toml");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
