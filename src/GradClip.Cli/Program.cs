using GradClip.Cli;
using GradClip.Cli.Common;
using Spectre.Console;

var console = AnsiConsole.Console;
console.Profile.Width = TerminalWidth.Choose(Environment.GetEnvironmentVariable("COLUMNS"), Console.IsOutputRedirected, console.Profile.Width);
return GradClipApp.Run(args, console);
