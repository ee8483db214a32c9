using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace MatrixTester.Web.Tests.Clocks;

/// <summary>One call (or constructor, or method-group conversion) in compiled code, with the source line it came from.</summary>
internal sealed record CallSite(MethodBase Callee, string File, int Line)
{
    public string Member => $"{Callee.DeclaringType?.Name}.{Callee.Name}({string.Join(", ", Callee.GetParameters().Select(p => p.ParameterType.Name))})";
}

/// <summary>
/// Every member an assembly's IL calls, located through its portable PDB. Reading IL rather than grepping source sees
/// exactly which overload was chosen (Task.Delay with or without a TimeProvider) and ignores comments and strings;
/// lambdas and async state machines are compiler-generated methods with their own sequence points, so they count too.
/// </summary>
internal static class IlCallSites
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<CallSite> Scan(Assembly assembly)
    {
        var pdb = Path.ChangeExtension(assembly.Location, ".pdb");
        using var provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdb));
        var debug = provider.GetMetadataReader();
        var sites = new List<CallSite>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
            {
                if (method.GetMethodBody()?.GetILAsByteArray() is not { } il)
                {
                    continue;
                }
                foreach (var (offset, token) in MethodTokens(il))
                {
                    var callee = method.Module.ResolveMethod(token, type.IsGenericType ? type.GetGenericArguments() : null,
                        method.IsGenericMethod ? method.GetGenericArguments() : null)!;
                    var (file, line) = Locate(debug, method.MetadataToken, offset);
                    sites.Add(new CallSite(callee, file, line));
                }
            }
        }
        return sites;
    }

    /// <summary>(IL offset, metadata token) of every instruction whose operand is a method: call, callvirt, newobj, ldftn…</summary>
    private static List<(int Offset, int Token)> MethodTokens(byte[] il)
    {
        var found = new List<(int, int)>();
        var at = 0;
        while (at < il.Length)
        {
            var start = at;
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            if (code.OperandType == OperandType.InlineMethod)
            {
                found.Add((start, BitConverter.ToInt32(il, at)));
            }
            at += OperandSize(code.OperandType, il, at);
        }
        return found;
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    /// <summary>The source line of the last visible sequence point at or before <paramref name="offset"/>.</summary>
    private static (string File, int Line) Locate(MetadataReader debug, int methodToken, int offset)
    {
        var handle = MetadataTokens.MethodDebugInformationHandle(methodToken & 0xFFFFFF);
        SequencePoint? best = null;
        foreach (var point in debug.GetMethodDebugInformation(handle).GetSequencePoints())
        {
            if (!point.IsHidden && point.Offset <= offset)
            {
                best = point;
            }
        }
        return best is { } p ? (debug.GetString(debug.GetDocument(p.Document).Name), p.StartLine) : ("(no source line)", 0);
    }
}
