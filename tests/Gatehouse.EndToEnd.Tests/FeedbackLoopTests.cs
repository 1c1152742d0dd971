using System.Net;
using Gatehouse.Cli.Stack;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>
/// The feedback loop of the example configuration on its own stack, because it puts 127.0.0.1 (every
/// test client) in the penalty box: the balancer's stick table tags a client that opens the trap path,
/// and the edge refuses that client on a later request, naming the rule in its decision record.
/// </summary>
public sealed class FeedbackLoopTests
{
    [Fact]
    public async Task Trap_TaggedAtBalancer_RefusedAtEdge()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gatehouse-feedback-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "static"));
        File.Copy(Path.Combine(RepositoryPaths.Examples, "haproxy.cfg"), Path.Combine(folder, "haproxy.cfg"));
        File.Copy(Path.Combine(RepositoryPaths.Examples, "edge.toml"), Path.Combine(folder, "edge.toml"));
        RepositoryPaths.LinkGuests(folder);
        try
        {
            await using var stack = await DemoStack.StartAsync(
                new StackOptions
                {
                    ConfigDirectory = folder,
                    RunFolder = new RunFolder(Path.Combine(folder, "run")),
                    EdgePort = 0,
                    BalancerBind = "127.0.0.1:0",
                    IssuerListen = "127.0.0.1:0",
                    FixedOriginPorts = false,
                },
                NullLoggerFactory.Instance,
                CancellationToken.None);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

            using var before = await http.GetAsync(new Uri(stack.Edge.Address, "/api/public/hello"));
            using var trap = await http.GetAsync(new Uri(stack.Edge.Address, "/api/public/trap"));
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal(HttpStatusCode.OK, trap.StatusCode);

            // The balancer tags the client while it answers the trap; the edge learns it through the
            // table's watch, so the refusal is expected at once, polled only to allow for scheduling.
            HttpResponseMessage? refused = null;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                refused?.Dispose();
                refused = await http.GetAsync(new Uri(stack.Edge.Address, "/api/public/hello"));
                if (refused.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    break;
                }

                await Task.Delay(50);
            }

            using (refused)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, refused!.StatusCode);
                Assert.True(refused.Headers.RetryAfter is not null, "429 without Retry-After");
                var requestId = refused.Headers.GetValues("X-Request-Id").Single();
                var record = await StackFixture.WaitForRecordAsync(stack.RunFolder.EdgeDecisionLog, requestId);
                Assert.Equal("penalty", record.GetProperty("decision").GetString());
                Assert.Equal("feedback:trap", record.GetProperty("rule").GetString());
                Assert.Contains("gpt0", record.GetProperty("reason").GetString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
