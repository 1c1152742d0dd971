using System.Net;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>
/// The feedback loop of the example configuration, on its own stack because it puts 127.0.0.1 (every test
/// client) in the penalty box. The balancer's stick table tags a client that requests the trap path, and
/// the edge rejects that client's later requests with the rule named in its decision record.
/// </summary>
public sealed class FeedbackLoopTests
{
    [Fact]
    public async Task Trap_TaggedAtBalancer_RejectedAtEdge()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gatehouse-feedback-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "static"));
        File.Copy(Path.Combine(RepositoryPaths.Examples, "haproxy.cfg"), Path.Combine(folder, "haproxy.cfg"));
        File.Copy(Path.Combine(RepositoryPaths.Examples, "edge.toml"), Path.Combine(folder, "edge.toml"));
        RepositoryPaths.LinkGuests(folder);
        try
        {
            await using var stack = await StackFixture.StartStackAsync(folder, Path.Combine(folder, "run"));
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

            using var before = await http.GetAsync(new Uri(stack.Edge.Address, "/api/public/hello"));
            using var trap = await http.GetAsync(new Uri(stack.Edge.Address, "/api/public/trap"));
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal(HttpStatusCode.OK, trap.StatusCode);

            // The balancer tags the client while it handles the trap request, and the table's watch passes
            // that to the edge at once. The loop only allows for thread scheduling.
            HttpResponseMessage? rejected = null;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                rejected?.Dispose();
                rejected = await http.GetAsync(new Uri(stack.Edge.Address, "/api/public/hello"));
                if (rejected.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    break;
                }

                await Task.Delay(50);
            }

            using (rejected)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, rejected!.StatusCode);
                Assert.True(rejected.Headers.RetryAfter is not null, "429 without Retry-After");
                var requestId = rejected.Headers.GetValues("X-Request-Id").Single();
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
