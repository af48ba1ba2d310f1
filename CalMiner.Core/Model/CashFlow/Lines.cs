using CalMiner.Economics;

namespace CalMiner.Model;

/// <summary>The model's working columns: one array per line, one element per period.</summary>
internal sealed class Lines
{
    public Lines(int periods, int products)
    {
        double[] Column() => new double[periods];
        double[][] PerProduct() => [.. Enumerable.Range(0, products).Select(_ => Column())];

        OreMined = Column();
        WasteMined = Column();
        OreProcessed = Column();
        Contained = PerProduct();
        Recovered = PerProduct();
        Payable = PerProduct();
        ProductGross = PerProduct();
        ProductSelling = PerProduct();
        GrossRevenue = Column();
        SellingCosts = Column();
        Nsr = Column();
        Royalties = Column();
        MiningCost = Column();
        ProcessingCost = Column();
        GeneralAndAdmin = Column();
        ConsumablesCost = Column();
        CarbonCost = Column();
        EquipmentOperatingCost = Column();
        OperatingCost = Column();
        Ebitda = Column();
        InitialCapital = Column();
        SustainingCapital = Column();
        ClosureCapital = Column();
        EquipmentCapital = Column();
        Capital = Column();
        Depreciation = Column();
        TaxableIncome = Column();
        LossesUsed = Column();
        Tax = Column();
        WorkingCapital = Column();
        WorkingCapitalChange = Column();
        PreTaxCashFlow = Column();
        AfterTaxCashFlow = Column();
        DiscountedAfterTaxCashFlow = Column();
        Co2eTonnes = Column();
    }

    public double[] OreMined { get; }
    public double[] WasteMined { get; }
    public double[] OreProcessed { get; }
    public double[][] Contained { get; }
    public double[][] Recovered { get; }
    public double[][] Payable { get; }
    public double[][] ProductGross { get; }
    public double[][] ProductSelling { get; }
    public double[] GrossRevenue { get; }
    public double[] SellingCosts { get; }
    public double[] Nsr { get; }
    public double[] Royalties { get; }
    public double[] MiningCost { get; }
    public double[] ProcessingCost { get; }
    public double[] GeneralAndAdmin { get; }
    public double[] ConsumablesCost { get; }
    public double[] CarbonCost { get; }
    public double[] EquipmentOperatingCost { get; }
    public double[] OperatingCost { get; }
    public double[] Ebitda { get; }
    public double[] InitialCapital { get; }
    public double[] SustainingCapital { get; }
    public double[] ClosureCapital { get; }
    public double[] EquipmentCapital { get; }
    public double[] Capital { get; }
    public double[] Depreciation { get; }
    public double[] TaxableIncome { get; }
    public double[] LossesUsed { get; }
    public double[] Tax { get; }
    public double[] WorkingCapital { get; }
    public double[] WorkingCapitalChange { get; }
    public double[] PreTaxCashFlow { get; }
    public double[] AfterTaxCashFlow { get; }
    public double[] DiscountedAfterTaxCashFlow { get; }
    public double[] Co2eTonnes { get; }

    /// <summary>The lines of period <paramref name="t"/>.</summary>
    public CashFlowLine Line(ScenarioPlan plan, int t) => Build(plan, t, c => c[t]);

    /// <summary>The life-of-mine totals of every line; for the working-capital balance, the closing balance, which is 0.</summary>
    public CashFlowLine Totals(ScenarioPlan plan) => Build(plan, null, Sum) with { WorkingCapital = 0 };

    private static double Sum(double[] column)
    {
        var sum = 0.0;
        foreach (var value in column)
        {
            sum += value;
        }

        return sum;
    }

    private CashFlowLine Build(ScenarioPlan plan, int? t, Func<double[], double> read)
    {
        var products = new ProductLine[plan.Products.Length];
        for (var k = 0; k < products.Length; k++)
        {
            var gross = read(ProductGross[k]);
            var selling = read(ProductSelling[k]);
            products[k] = new ProductLine
            {
                Name = plan.Products[k].Name,
                Contained = read(Contained[k]),
                Recovered = read(Recovered[k]),
                Payable = read(Payable[k]),
                GrossRevenue = gross,
                SellingCosts = selling,
                Nsr = gross - selling,
            };
        }

        return new CashFlowLine
        {
            Period = t,
            Year = t + plan.Document.StartYear,
            OreMined = read(OreMined),
            WasteMined = read(WasteMined),
            OreProcessed = read(OreProcessed),
            Products = products,
            PrimaryPayable = products[plan.PrimaryIndex].Payable,
            GrossRevenue = read(GrossRevenue),
            SellingCosts = read(SellingCosts),
            Nsr = read(Nsr),
            Royalties = read(Royalties),
            MiningCost = read(MiningCost),
            ProcessingCost = read(ProcessingCost),
            GeneralAndAdmin = read(GeneralAndAdmin),
            ConsumablesCost = read(ConsumablesCost),
            CarbonCost = read(CarbonCost),
            EquipmentOperatingCost = read(EquipmentOperatingCost),
            OperatingCost = read(OperatingCost),
            Ebitda = read(Ebitda),
            InitialCapital = read(InitialCapital),
            SustainingCapital = read(SustainingCapital),
            ClosureCapital = read(ClosureCapital),
            EquipmentCapital = read(EquipmentCapital),
            Capital = read(Capital),
            Depreciation = read(Depreciation),
            TaxableIncome = read(TaxableIncome),
            LossesUsed = read(LossesUsed),
            Tax = read(Tax),
            WorkingCapital = read(WorkingCapital),
            WorkingCapitalChange = read(WorkingCapitalChange),
            PreTaxCashFlow = read(PreTaxCashFlow),
            AfterTaxCashFlow = read(AfterTaxCashFlow),
            DiscountedAfterTaxCashFlow = read(DiscountedAfterTaxCashFlow),
            Co2eTonnes = read(Co2eTonnes),
        };
    }
}
