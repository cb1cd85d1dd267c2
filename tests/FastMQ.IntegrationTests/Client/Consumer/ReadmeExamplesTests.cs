using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace FastMQ.IntegrationTests.Client.Consumer;

/// <summary>The C# examples in src/FastMQ.Client/README.md compile against the FastMQ.Client this test runs with.</summary>
public sealed class ReadmeExamplesTests
{
    [Fact]
    public async Task ReadmeCsharpBlocks_CompileAgainstFastMqClient()
    {
        // Goal: every ```csharp block of the client README (producer, consumer, dead-letter examples) compiles as
        // written, with warnings as errors and nullable on. Method: extract the blocks into a temporary project that
        // references the FastMQ.Client, Protocol and Core assemblies next to this test, and run `dotnet build` on it
        // (a real compiler run; no Roslyn package needed). A block that stops compiling fails with the compiler output.
        string readme = File.ReadAllText(ReadmePath());
        var blocks = new List<string>();
        foreach (Match m in Regex.Matches(readme, "```csharp\\n(.*?)```", RegexOptions.Singleline))
        {
            blocks.Add(m.Groups[1].Value);
        }
        Assert.Equal(3, blocks.Count);
        Assert.Contains(blocks, b => b.Contains("new Producer(", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("consumer.Consume(", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("new DeadLetterProcessor(", StringComparison.Ordinal));

        string dir = Path.Combine(Path.GetTempPath(), "fastmq-readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                File.WriteAllText(Path.Combine(dir, $"Example{i}.cs"), blocks[i]);
            }
            string bin = AppContext.BaseDirectory;
            File.WriteAllText(Path.Combine(dir, "ReadmeExamples.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="FastMQ.Client"><HintPath>{Path.Combine(bin, "FastMQ.Client.dll")}</HintPath></Reference>
                    <Reference Include="FastMQ.Protocol"><HintPath>{Path.Combine(bin, "FastMQ.Protocol.dll")}</HintPath></Reference>
                    <Reference Include="FastMQ.Core"><HintPath>{Path.Combine(bin, "FastMQ.Core.dll")}</HintPath></Reference>
                  </ItemGroup>
                </Project>
                """);
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
            foreach (string a in new[] { "build", "ReadmeExamples.csproj", "--nologo", "-v", "q" })
            {
                psi.ArgumentList.Add(a);
            }
            using Process build = Process.Start(psi)!;
            // Both streams at once: reading one to its end first could block on the other's full pipe.
            Task<string> stdout = build.StandardOutput.ReadToEndAsync();
            Task<string> stderr = build.StandardError.ReadToEndAsync();
            string output = await stdout + await stderr;
            Assert.True(build.WaitForExit(TimeSpan.FromMinutes(3)), "dotnet build of the README examples did not finish");
            Assert.True(build.ExitCode == 0, "README examples do not compile:\n" + output);
            Assert.True(File.Exists(Path.Combine(dir, "bin", "Debug", "net10.0", "ReadmeExamples.dll")), output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // A copy of src/FastMQ.Client/README.md placed next to the test binaries by the project file (not the compiler's
    // source path: CI builds map that to "/_/", which does not exist at run time).
    private static string ReadmePath() => Path.Combine(AppContext.BaseDirectory, "ClientReadme", "README.md");
}
