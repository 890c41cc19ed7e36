using GradClip.Cli;
using Spectre.Console;

return GradClipApp.Run(args, AnsiConsole.Console);
