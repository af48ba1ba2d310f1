using CalMiner.Cli;

return await CalMinerCli.RunAsync(args, Console.In, Console.Out, Console.Error);
