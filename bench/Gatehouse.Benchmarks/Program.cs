using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gatehouse.Benchmarks;

internal static class Program
{
    // In-process toolchain: BenchmarkDotNet's default toolchain rebuilds this project and the src projects
    // without --artifacts-path, which would write bin/ and obj/ folders into the shared work tree.
    // The default job is ShortRun (3 warm-up and 3 measured iterations). A --job option replaces this job and
    // its toolchain, so pass --inProcess with it.
    public static int Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors) ? 1 : 0;
    }
}
