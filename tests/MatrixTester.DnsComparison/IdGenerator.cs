using System.Reflection;
using System.Reflection.Emit;
using DnsClient;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.DnsComparison;

/// <summary>
/// Which methods each client's query ID function calls, read from the IL of the assemblies actually loaded (the
/// NuGet package's binary, not its source), so the row shows what runs here.
/// </summary>
internal static class IdGenerator
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static string Theirs()
    {
        var header = typeof(LookupClient).Assembly.GetType("DnsClient.DnsRequestHeader", throwOnError: true)!;
        var method = header.GetMethod("GetNextUniqueId", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("DnsRequestHeader.GetNextUniqueId not found in this DnsClient build.");
        return Calls(method);
    }

    public static string Ours() => Calls(typeof(DnsQueryWriter).GetMethod(nameof(DnsQueryWriter.NewId))!);

    private static string Calls(MethodInfo method) =>
        $"`{method.DeclaringType!.Name}.{method.Name}` calls " + string.Join(", ", CalledMethods(method).Select(m => $"`{m}`"));

    /// <summary>Walks the method body opcode by opcode and resolves every call target.</summary>
    private static List<string> CalledMethods(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var calls = new List<string>();
        for (var pos = 0; pos < il.Length;)
        {
            var value = il[pos] == 0xFE ? (short)(0xFE00 | il[pos + 1]) : il[pos];
            var opcode = OpCodesByValue[value];
            pos += opcode.Size;
            if (opcode.OperandType == OperandType.InlineMethod)
            {
                var target = method.Module.ResolveMethod(BitConverter.ToInt32(il, pos))!;
                calls.Add($"{target.DeclaringType!.FullName}.{target.Name}");
            }
            pos += OperandSize(opcode, il, pos);
        }
        return calls;
    }

    private static int OperandSize(OpCode opcode, byte[] il, int pos) => opcode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, pos)),
        _ => 4,
    };
}
