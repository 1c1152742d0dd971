namespace Gatehouse.Edge.Compute.Tests;

public sealed class WasmtimeLoadTests
{
    [Fact]
    public void Engine_WatModule_ExportsAddFunction()
    {
        using var engine = new Wasmtime.Engine();
        using var module = Wasmtime.Module.FromText(engine, "add", "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))");
        using var store = new Wasmtime.Store(engine);
        var instance = new Wasmtime.Instance(store, module);
        var add = instance.GetFunction<int, int, int>("add");
        Assert.NotNull(add);
        Assert.Equal(5, add!(2, 3));
    }
}
