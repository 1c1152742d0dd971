using System.Net.Http.Headers;
using System.Text.Json;
using Gatehouse.Cli.Stack;
using Gatehouse.DevStack.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>
/// One real stack per test class: dev issuer, demo origins, balancer and edge on loopback port 0,
/// loaded from the repository's examples/ files, with a fresh run folder.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    internal DemoStack Stack { get; private set; } = null!;

    public string RunRoot { get; } = Path.Combine(Path.GetTempPath(), "gatehouse-e2e-" + Guid.NewGuid().ToString("N"));

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Uri Edge => Stack.Edge.Address;

    public Uri Balancer => Stack.BalancerAddress;

    public ILoggerFactory Loggers { get; } = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Warning));

    public async Task InitializeAsync()
    {
        Stack = await StartStackAsync(RepositoryPaths.Examples, RunRoot, Loggers);
    }

    /// <summary>Starts the whole stack on loopback ports chosen at run time, with its state under <paramref name="runRoot"/>.</summary>
    internal static Task<DemoStack> StartStackAsync(string configDirectory, string runRoot, ILoggerFactory? loggers = null) =>
        DemoStack.StartAsync(
            new StackOptions
            {
                ConfigDirectory = configDirectory,
                RunFolder = new RunFolder(runRoot),
                EdgePort = 0,
                BalancerBind = "127.0.0.1:0",
                StatsBind = "127.0.0.1:0",
                EdgeMetricsListen = "127.0.0.1:0",
                IssuerListen = "127.0.0.1:0",
                FixedOriginPorts = false,
            },
            loggers ?? NullLoggerFactory.Instance,
            CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Stack.DisposeAsync();
        Http.Dispose();
        Loggers.Dispose();
        Directory.Delete(RunRoot, recursive: true);
    }

    /// <summary>A real access token for a demo user, from the running dev issuer.</summary>
    public async Task<string> TokenAsync(string user)
    {
        if (!_tokens.TryGetValue(user, out var token))
        {
            token = await DevTokenClient.RequestAccessTokenAsync(Stack.Issuer.IssuerUri, user, user, Http, CancellationToken.None);
            _tokens[user] = token;
        }

        return token;
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? user = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Edge, path));
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        }

        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    /// <summary>Reads the JSON body a demo origin returns.</summary>
    public static async Task<JsonElement> EchoAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Waits until a decision log file contains a record for the request id, or fails after 10 s.</summary>
    public static async Task<JsonElement> WaitForRecordAsync(string path, string requestId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                foreach (var line in lines)
                {
                    // The file also holds the chain's header, gap and checkpoint lines, which carry no request id.
                    var record = JsonDocument.Parse(line).RootElement;
                    if (record.TryGetProperty("request_id", out var id) && id.GetString() == requestId)
                    {
                        return record.Clone();
                    }
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no record for request {requestId} in {path} within 10 s");
    }
}

/// <summary>Locates repository folders from the test assembly's location.</summary>
internal static class RepositoryPaths
{
    public static string Root => FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    /// <summary>
    /// Links the example guest packages into a copied configuration folder, because edge.toml's guest route
    /// names them relative to itself; the link shares one build of each package between tests.
    /// </summary>
    public static void LinkGuests(string folder) =>
        Directory.CreateSymbolicLink(Path.Combine(folder, "guests"), Path.Combine(Examples, "guests"));

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
