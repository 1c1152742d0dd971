using System.CommandLine;
using Gatehouse.Cli.Commands;

namespace Gatehouse.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Gatehouse: a two-tier HTTP gateway (edge and balancer).")
        {
            UpCommand.Create(),
            TokenCommand.Create(),
            CheckCommand.Create(),
            BalancerCommand.Create(),
            KeysCommand.Create(),
            ServeCommand.Create(),
            AuditCommand.Create(),
            TopCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
