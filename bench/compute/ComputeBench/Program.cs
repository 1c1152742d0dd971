using Gatehouse.Bench.Compute;

// Modes and their arguments are listed in Usage below.
return args switch
{
    ["instantiate", var wasm] => Instantiation.Run(wasm, 2000),
    ["instantiate-unpooled", var wasm, var count] => Instantiation.Run(wasm, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), pooling: false),
    ["instantiate", var wasm, var count] => Instantiation.Run(wasm, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    ["profile", var wasm, var count, .. var variants] => Profile.Run(wasm, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), variants.Length == 0 ? ["base"] : variants),
    ["clock"] => ClockCost(),
    ["kestrel", var port] => await PlainKestrel.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)),
    ["probe", var wasm, var path] => await Probe.RunAsync(wasm, path),
    ["serve", var package, var port] => await Serve.RunAsync(package, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int ClockCost()
{
    const int count = 1_000_000;
    var start = System.Diagnostics.Stopwatch.GetTimestamp();
    long sum = 0;
    for (var i = 0; i < count; i++)
    {
        sum += Gatehouse.Edge.Compute.Runtime.ThreadCpuClock.NowTicks();
    }

    var each = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds / count;
    Console.WriteLine($"thread CPU clock: {each:F0} ns per reading (checksum {sum % 10})");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Gatehouse.Bench.Compute MODE ARGS
          instantiate WASM [COUNT]            median and p99 of store creation plus instantiation, then of a whole guest run (COUNT default 2000)
          instantiate-unpooled WASM COUNT     the same without the pooling allocator
          profile WASM COUNT [VARIANT...]     thread CPU and page faults per instantiation and per whole run, variants interleaved
          clock                               mean cost of one thread CPU clock reading (two per hostcall)
          kestrel PORT                        plain Kestrel returning "hello" on PORT, the baseline for wrk
          probe WASM PATH                     one request for PATH through the runner with console logs, printing the outcome
          serve PACKAGE-DIR PORT              the steps of `gatehouse serve` on PORT, for when the CLI does not build
        """);
    return 2;
}
