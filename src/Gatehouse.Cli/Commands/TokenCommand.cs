using System.CommandLine;
using Gatehouse.Cli.Stack;
using Gatehouse.DevStack.Identity;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse token --user NAME</c>: prints an access token from the running dev issuer.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "Demo user: alice, bob or carol.", Required = true };
        var password = new Option<string?>("--password") { Description = "Password (the dev issuer's demo users use their own name)." };
        var issuer = new Option<string?>("--issuer") { Description = "Issuer URL (default: the one `gatehouse up` recorded in its run folder)." };
        var runDir = new Option<string>("--run-dir")
        {
            Description = "Run folder of `gatehouse up`.",
            DefaultValueFactory = _ => RunFolder.DefaultRoot,
        };
        var command = new Command("token", "Print an access token for a demo user from the running dev issuer.")
        {
            user, password, issuer, runDir,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(user)!, result.GetValue(password), result.GetValue(issuer), result.GetValue(runDir)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string user, string? password, string? issuerText, string runDir, CancellationToken cancellationToken)
    {
        issuerText ??= new RunFolder(runDir).ReadState()?.IssuerUrl;
        if (issuerText is null)
        {
            await Console.Error.WriteLineAsync("no running stack found; start one with ./gatehouse up, or pass --issuer URL");
            return 2;
        }

        if (!Uri.TryCreate(issuerText, UriKind.Absolute, out var issuer))
        {
            await Console.Error.WriteLineAsync($"invalid --issuer \"{issuerText}\"; expected an absolute URL such as http://127.0.0.1:8090/");
            return 2;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var token = await DevTokenClient.RequestAccessTokenAsync(issuer, user, password ?? user, http, cancellationToken);
            Console.WriteLine(token);
            return 0;
        }
        catch (DevTokenRequestException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 1;
        }
    }
}
