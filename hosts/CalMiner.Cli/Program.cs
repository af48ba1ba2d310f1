using CalMiner.Cli;

return await CalMinerCli.RunAsync(args, Console.Out, Console.Error);
