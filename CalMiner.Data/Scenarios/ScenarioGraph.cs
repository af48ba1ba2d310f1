using CalMiner.Data.Database;
using CalMiner.Scenarios;

namespace CalMiner.Data.Scenarios;

/// <summary>The rows of one scenario across the normalised tables, and the conversion to and from <see cref="ScenarioDocument"/>.</summary>
internal sealed class ScenarioGraph
{
    public required ScenarioRow Scenario { get; init; }

    public List<ParameterRow> Parameters { get; init; } = [];

    public List<ParameterPointRow> ParameterPoints { get; init; } = [];

    public List<CorrelationRow> Correlations { get; init; } = [];

    public List<ProductRow> Products { get; init; } = [];

    public List<SchedulePeriodRow> SchedulePeriods { get; init; } = [];

    public List<ScheduleGradeRow> ScheduleGrades { get; init; } = [];

    public List<ConsumableRow> Consumables { get; init; } = [];

    public List<EquipmentRow> Equipment { get; init; } = [];

    public List<CapitalItemRow> CapitalItems { get; init; } = [];

    public List<RoyaltyRow> Royalties { get; init; } = [];

    /// <summary>Sets the scenario id of every row, once the scenario row has been inserted.</summary>
    public void SetScenarioId(long id)
    {
        Scenario.Id = id;
        Parameters.ForEach(r => r.ScenarioId = id);
        ParameterPoints.ForEach(r => r.ScenarioId = id);
        Correlations.ForEach(r => r.ScenarioId = id);
        Products.ForEach(r => r.ScenarioId = id);
        SchedulePeriods.ForEach(r => r.ScenarioId = id);
        ScheduleGrades.ForEach(r => r.ScenarioId = id);
        Consumables.ForEach(r => r.ScenarioId = id);
        Equipment.ForEach(r => r.ScenarioId = id);
        CapitalItems.ForEach(r => r.ScenarioId = id);
        Royalties.ForEach(r => r.ScenarioId = id);
    }

    /// <summary>The rows of <paramref name="d"/>; the scenario row's id, version and audit columns are left for the caller.</summary>
    public static ScenarioGraph FromDocument(ScenarioDocument d, long id)
    {
        var s = new ScenarioRow
        {
            Id = id,
            SchemaVersion = d.SchemaVersion,
            Name = d.Name,
            Description = d.Description,
            Currency = d.Currency,
            StartYear = d.StartYear,
            Periods = d.Periods,
            DiscountRate = d.DiscountRate,
            Discounting = EnumNames.Name(d.Discounting),
            TaxLossCarryForward = d.Tax.LossCarryForward,
            ReceivableDays = d.WorkingCapital.ReceivableDays,
            PayableDays = d.WorkingCapital.PayableDays,
            SimulationIterations = d.Simulation.Iterations,
            SimulationSeed = d.Simulation.Seed,
            SimulationSampling = EnumNames.Name(d.Simulation.Sampling),
            ConvergenceMetric = d.Simulation.Convergence?.Metric,
            ConvergenceRelativeTolerance = d.Simulation.Convergence?.RelativeTolerance,
            ConvergenceConfidence = d.Simulation.Convergence?.Confidence,
            ConvergenceMaxIterations = d.Simulation.Convergence?.MaxIterations,
        };
        (s.MiningPerTonne, s.MiningPerTonneParameter) = Split(d.OperatingCosts.MiningPerTonne);
        (s.ProcessingPerTonne, s.ProcessingPerTonneParameter) = Split(d.OperatingCosts.ProcessingPerTonne);
        (s.GeneralAndAdminPerPeriod, s.GeneralAndAdminPerPeriodParameter) = Split(d.OperatingCosts.GeneralAndAdminPerPeriod);
        (s.CarbonPricePerTonne, s.CarbonPricePerTonneParameter) = Split(d.OperatingCosts.CarbonPricePerTonne);
        (s.TaxRate, s.TaxRateParameter) = Split(d.Tax.Rate);
        (s.GradeFactor, s.GradeFactorParameter) = Split(d.Factors.Grade);
        (s.ThroughputFactor, s.ThroughputFactorParameter) = Split(d.Factors.Throughput);
        (s.OperatingCostFactor, s.OperatingCostFactorParameter) = Split(d.Factors.OperatingCost);
        (s.InitialCapitalFactor, s.InitialCapitalFactorParameter) = Split(d.Factors.InitialCapital);
        (s.SustainingCapitalFactor, s.SustainingCapitalFactorParameter) = Split(d.Factors.SustainingCapital);

        var graph = new ScenarioGraph { Scenario = s };
        var ordinal = 0;
        foreach (var (name, p) in d.Parameters)
        {
            var dist = p.Distribution;
            graph.Parameters.Add(new ParameterRow
            {
                ScenarioId = id,
                Name = name,
                Ordinal = ordinal++,
                Value = p.Value,
                Unit = p.Unit,
                Description = p.Description,
                DistributionType = dist is null ? null : EnumNames.Name(dist.Type),
                DistributionValue = dist?.Value,
                DistributionMean = dist?.Mean,
                DistributionSd = dist?.Sd,
                DistributionMin = dist?.Min,
                DistributionMode = dist?.Mode,
                DistributionMax = dist?.Max,
                DistributionLambda = dist?.Lambda,
                DistributionP10 = dist?.P10,
                DistributionP50 = dist?.P50,
                DistributionP90 = dist?.P90,
                TruncateMin = dist?.Truncate?.Min,
                TruncateMax = dist?.Truncate?.Max,
            });
            for (var i = 0; i < (dist?.Values?.Count ?? 0); i++)
            {
                graph.ParameterPoints.Add(new ParameterPointRow
                {
                    ScenarioId = id,
                    ParameterName = name,
                    Ordinal = i,
                    Value = dist!.Values![i],
                    Weight = dist.Weights?[i],
                });
            }
        }

        for (var i = 0; i < d.Correlations.Count; i++)
        {
            var c = d.Correlations[i];
            graph.Correlations.Add(new CorrelationRow { ScenarioId = id, Ordinal = i, ParameterA = c.A, ParameterB = c.B, RankCorrelation = c.Rank });
        }

        for (var i = 0; i < d.Products.Count; i++)
        {
            var p = d.Products[i];
            var row = new ProductRow
            {
                ScenarioId = id,
                Ordinal = i,
                Name = p.Name,
                GradeUnit = EnumNames.Name(p.GradeUnit),
                PayableUnit = EnumNames.Name(p.PayableUnit),
                IsPrimary = p.Primary,
            };
            (row.Recovery, row.RecoveryParameter) = Split(p.Recovery);
            (row.Payability, row.PayabilityParameter) = Split(p.Payability);
            (row.Price, row.PriceParameter) = Split(p.Price);
            (row.SellingCostPerUnit, row.SellingCostPerUnitParameter) = Split(p.SellingCostPerUnit);
            graph.Products.Add(row);
        }

        for (var i = 0; i < d.Schedule.Count; i++)
        {
            var period = d.Schedule[i];
            graph.SchedulePeriods.Add(new SchedulePeriodRow
            {
                ScenarioId = id,
                Period = period.Period,
                Ordinal = i,
                OreMined = period.OreMined,
                WasteMined = period.WasteMined,
                OreProcessed = period.OreProcessed,
            });
            var g = 0;
            foreach (var (product, grade) in period.Grades)
            {
                graph.ScheduleGrades.Add(new ScheduleGradeRow { ScenarioId = id, Period = period.Period, ProductName = product, Ordinal = g++, Grade = grade });
            }
        }

        for (var i = 0; i < d.Consumables.Count; i++)
        {
            var c = d.Consumables[i];
            var row = new ConsumableRow
            {
                ScenarioId = id,
                Ordinal = i,
                Name = c.Name,
                Unit = c.Unit,
                Driver = EnumNames.Name(c.Driver),
                Co2eKgPerUnit = c.Co2eKgPerUnit,
            };
            (row.RatePerDriver, row.RatePerDriverParameter) = Split(c.RatePerDriver);
            (row.UnitPrice, row.UnitPriceParameter) = Split(c.UnitPrice);
            graph.Consumables.Add(row);
        }

        for (var i = 0; i < d.Equipment.Count; i++)
        {
            var e = d.Equipment[i];
            var row = new EquipmentRow
            {
                ScenarioId = id,
                Ordinal = i,
                Name = e.Name,
                UnitCount = e.Count,
                UnitCost = e.UnitCost,
                PurchasePeriod = e.PurchasePeriod,
                Availability = e.Availability,
                Utilisation = e.Utilisation,
                LifeHours = e.LifeHours,
                DepreciationYears = e.DepreciationYears,
                CapacityTonnesPerHour = e.CapacityTonnesPerHour,
            };
            (row.OperatingCostPerHour, row.OperatingCostPerHourParameter) = Split(e.OperatingCostPerHour);
            graph.Equipment.Add(row);
        }

        for (var i = 0; i < d.Capital.Count; i++)
        {
            var c = d.Capital[i];
            var row = new CapitalItemRow
            {
                ScenarioId = id,
                Ordinal = i,
                Name = c.Name,
                Category = EnumNames.Name(c.Category),
                Period = c.Period,
                Contingency = c.Contingency,
                DepreciationYears = c.DepreciationYears,
            };
            (row.Amount, row.AmountParameter) = Split(c.Amount);
            graph.CapitalItems.Add(row);
        }

        for (var i = 0; i < d.Royalties.Count; i++)
        {
            var r = d.Royalties[i];
            var row = new RoyaltyRow { ScenarioId = id, Ordinal = i, Name = r.Name, Basis = EnumNames.Name(r.Basis) };
            (row.Rate, row.RateParameter) = Split(r.Rate);
            graph.Royalties.Add(row);
        }

        return graph;
    }

    /// <summary>Rebuilds the document; the child lists must be in ordinal order.</summary>
    public ScenarioDocument ToDocument()
    {
        var s = Scenario;
        var points = ParameterPoints.ToLookup(p => p.ParameterName, StringComparer.Ordinal);
        var parameters = new Dictionary<string, Parameter>(Parameters.Count, StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            parameters.Add(p.Name, new Parameter(
                Value: p.Value,
                Unit: p.Unit,
                Description: p.Description,
                Distribution: p.DistributionType is null ? null : ToDistribution(p, [.. points[p.Name].OrderBy(x => x.Ordinal)])));
        }

        var grades = ScheduleGrades.ToLookup(g => g.Period);
        return new ScenarioDocument(
            Name: s.Name,
            Currency: s.Currency,
            StartYear: s.StartYear,
            Periods: s.Periods,
            DiscountRate: s.DiscountRate,
            Products: [.. Products.Select(p => new Product(
                Name: p.Name,
                GradeUnit: EnumNames.Parse<GradeUnit>(p.GradeUnit),
                PayableUnit: EnumNames.Parse<PayableUnit>(p.PayableUnit),
                Recovery: Join(p.Recovery, p.RecoveryParameter),
                Price: Join(p.Price, p.PriceParameter),
                Payability: Join(p.Payability, p.PayabilityParameter),
                SellingCostPerUnit: Join(p.SellingCostPerUnit, p.SellingCostPerUnitParameter),
                Primary: p.IsPrimary))],
            Schedule: [.. SchedulePeriods.Select(p => new SchedulePeriod(
                Period: p.Period,
                OreMined: p.OreMined,
                WasteMined: p.WasteMined,
                OreProcessed: p.OreProcessed,
                Grades: grades[p.Period].OrderBy(g => g.Ordinal).ToDictionary(g => g.ProductName, g => g.Grade, StringComparer.Ordinal)))],
            Description: s.Description,
            Discounting: EnumNames.Parse<Discounting>(s.Discounting),
            OperatingCosts: new OperatingCosts(
                MiningPerTonne: Join(s.MiningPerTonne, s.MiningPerTonneParameter),
                ProcessingPerTonne: Join(s.ProcessingPerTonne, s.ProcessingPerTonneParameter),
                GeneralAndAdminPerPeriod: Join(s.GeneralAndAdminPerPeriod, s.GeneralAndAdminPerPeriodParameter),
                CarbonPricePerTonne: Join(s.CarbonPricePerTonne, s.CarbonPricePerTonneParameter)),
            Consumables: [.. Consumables.Select(c => new Consumable(
                Name: c.Name,
                Driver: EnumNames.Parse<ConsumableDriver>(c.Driver),
                RatePerDriver: Join(c.RatePerDriver, c.RatePerDriverParameter),
                UnitPrice: Join(c.UnitPrice, c.UnitPriceParameter),
                Unit: c.Unit,
                Co2eKgPerUnit: c.Co2eKgPerUnit))],
            Equipment: [.. Equipment.Select(e => new Equipment(
                Name: e.Name,
                Count: e.UnitCount,
                UnitCost: e.UnitCost,
                PurchasePeriod: e.PurchasePeriod,
                OperatingCostPerHour: Join(e.OperatingCostPerHour, e.OperatingCostPerHourParameter),
                Availability: e.Availability,
                Utilisation: e.Utilisation,
                LifeHours: e.LifeHours,
                DepreciationYears: e.DepreciationYears,
                CapacityTonnesPerHour: e.CapacityTonnesPerHour))],
            Capital: [.. CapitalItems.Select(c => new CapitalItem(
                Name: c.Name,
                Category: EnumNames.Parse<CapitalCategory>(c.Category),
                Period: c.Period,
                Amount: Join(c.Amount, c.AmountParameter),
                Contingency: c.Contingency,
                DepreciationYears: c.DepreciationYears))],
            Royalties: [.. Royalties.Select(r => new Royalty(r.Name, Join(r.Rate, r.RateParameter), EnumNames.Parse<RoyaltyBasis>(r.Basis)))],
            Tax: new Tax(Join(s.TaxRate, s.TaxRateParameter), s.TaxLossCarryForward),
            WorkingCapital: new WorkingCapital(s.ReceivableDays, s.PayableDays),
            Factors: new Factors(
                Grade: Join(s.GradeFactor, s.GradeFactorParameter),
                Throughput: Join(s.ThroughputFactor, s.ThroughputFactorParameter),
                OperatingCost: Join(s.OperatingCostFactor, s.OperatingCostFactorParameter),
                InitialCapital: Join(s.InitialCapitalFactor, s.InitialCapitalFactorParameter),
                SustainingCapital: Join(s.SustainingCapitalFactor, s.SustainingCapitalFactorParameter)),
            Parameters: parameters,
            Correlations: [.. Correlations.Select(c => new Correlation(c.ParameterA, c.ParameterB, c.RankCorrelation))],
            Simulation: ToSettings(s.SimulationIterations, s.SimulationSeed, s.SimulationSampling, s.ConvergenceMetric, s.ConvergenceRelativeTolerance, s.ConvergenceConfidence, s.ConvergenceMaxIterations),
            SchemaVersion: s.SchemaVersion);
    }

    /// <summary>Simulation settings from their columns, shared with the run queue.</summary>
    public static SimulationSettings ToSettings(int iterations, long seed, string sampling, string? metric, double? tolerance, double? confidence, int? maxIterations) =>
        new(
            Iterations: iterations,
            Seed: seed,
            Sampling: EnumNames.Parse<SamplingMethod>(sampling),
            Convergence: metric is null ? null : new ConvergenceRule(metric, tolerance ?? 0, confidence ?? 0, maxIterations));

    private static Distribution ToDistribution(ParameterRow p, List<ParameterPointRow> points)
    {
        var type = EnumNames.Parse<DistributionType>(p.DistributionType!);
        var listed = type is DistributionType.Discrete or DistributionType.Empirical;
        return new Distribution
        {
            Type = type,
            Value = p.DistributionValue,
            Mean = p.DistributionMean,
            Sd = p.DistributionSd,
            Min = p.DistributionMin,
            Mode = p.DistributionMode,
            Max = p.DistributionMax,
            Lambda = p.DistributionLambda,
            P10 = p.DistributionP10,
            P50 = p.DistributionP50,
            P90 = p.DistributionP90,
            Values = listed ? [.. points.Select(x => x.Value)] : null,
            Weights = points.Count > 0 && points.All(x => x.Weight is not null) ? [.. points.Select(x => x.Weight!.Value)] : null,
            Truncate = p.TruncateMin is null && p.TruncateMax is null ? null : new Truncation { Min = p.TruncateMin, Max = p.TruncateMax },
        };
    }

    private static (double? Number, string? Parameter) Split(Bindable input) =>
        input.IsParameter ? (null, input.Parameter) : (input.Number, null);

    private static Bindable Join(double? number, string? parameter) =>
        parameter is not null ? Bindable.Of(parameter) : Bindable.FromNumber(number ?? 0);
}
