"""Word lists for the synthetic demo region. Every name built from them is invented: no row of the
demo describes a real organisation, person, standard or instrument."""

from __future__ import annotations

# Common surnames, most frequent first (weights fall off geometrically when drawn).
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏宇浩凯晨欣怡婷雪琳佳颖嘉俊峰雷斌波宁瑶慧倩璐蕾晶晓东海云飞志国庆春梅兵旭昊天博睿哲诚轩涵"

# Shops and firms: two syllables of a trade name, then a trade.
TRADE_NAMES = (
    "申华 沪东 浦江 华亭 松鹤 金桥 新虹 申通 联合 东方 宏达 信诚 恒泰 永安 中联 华峰 申泰 九州 "
    "天和 瑞丰 安达 汇丰 盛世 明珠 长江 江南 海港 锦程 立信 博远 嘉禾 鼎盛 兴业 德昌 正大 万通"
).split()
ENTERPRISE_TRADES = (
    "超市 农贸市场 加油站 燃气 供水 物业管理 出租汽车 医院 门诊部 化工 钢铁 制药 食品 电子 机械 "
    "汽车零部件 物流 建材 纺织 药房 酒店 环境检测 餐饮管理 热力"
).split()
LAB_TRADES = ("计量检测技术", "计量校准", "仪器仪表检测", "测试技术", "质量检测技术", "检验检测")

LEGAL_SPECIALISED = (
    "上海市供水计量检定站",
    "上海市燃气计量检定站",
    "上海市电力计量检定站",
    "上海市医疗器械计量检定站",
    "上海市交通计量检定站",
    "上海市环境监测计量检定站",
)
PROFESSIONAL_STATIONS = (
    "国家船舶舱容计量站上海分站",
    "国家大容量计量站上海分站",
    "国家原油大流量计量站上海分站",
    "国家轨道衡计量站上海分站",
    "国家纺织计量站上海分站",
    "国家海洋计量站上海分站",
)
INDUSTRIAL_CENTRES = (
    "国家集成电路产业计量测试中心",
    "国家民用航空产业计量测试中心",
    "国家生物医药产业计量测试中心",
)
CITY_INSTITUTE = "上海市计量测试技术研究院"
CITY_REGULATOR = "上海市市场监督管理局"

# Instrument makers per category: (maker, model prefix). Invented firms.
MAKERS: dict[str, tuple[tuple[str, str], ...]] = {
    "electricity_meter": (("申电仪表", "DDZY"), ("华立电气", "DTZY"), ("浦江电表", "DDSY")),
    "water_meter_dn15_25": (("申水表业", "LXS-15"), ("宁海水表", "LXSG-20"), ("沪东仪表", "LXLC-25")),
    "water_meter_dn32_50": (("申水表业", "LXLG-40"), ("宁海水表", "LXS-50")),
    "gas_meter_g16": (("浦东燃气表", "G2.5"), ("天和仪表", "G4"), ("申燃智能", "G1.6")),
    "taximeter": (("申通计价器", "JJQ-2"), ("华亭电子", "SH-TX")),
    "fuel_dispenser": (("江南加油机", "JYJ-2"), ("长江机械", "CS46")),
    "non_automatic_scale": (("松鹤衡器", "ACS-30"), ("华峰衡器", "TCS-150"), ("恒泰衡器", "ACS-15")),
    "pressure_gauge": (("浦江仪表", "Y-100"), ("申泰仪表", "Y-60")),
    "sphygmomanometer": (("华亭医疗", "XJ11D"), ("瑞丰医疗", "HEM-7")),
    "clinical_thermometer": (("申华玻璃仪器", "TW-3"),),
    "breath_alcohol_analyser": (("安达电子", "AT-8000"),),
    "combustible_gas_detector": (("宏达安全", "GT-CH4"), ("信诚仪器", "KB-9")),
    "radar_speed_meter": (("锦程电子", "CS-R5"),),
    "sound_level_meter": (("博远声学", "AWA-6"),),
    "caliper": (("九州量具", "SC-150"), ("鼎盛量具", "DC-200")),
    "micrometer": (("九州量具", "MC-25"),),
    "digital_multimeter": (("立信电子", "DM-61"),),
    "frequency_counter": (("明珠电子", "FC-53"),),
    "illuminance_meter": (("嘉禾光电", "LX-10"),),
}
# Relative number in service of each category (a large city: meters dominate).
CATEGORY_WEIGHTS: dict[str, float] = {
    "electricity_meter": 30,
    "water_meter_dn15_25": 24,
    "water_meter_dn32_50": 3,
    "gas_meter_g16": 18,
    "taximeter": 4,
    "fuel_dispenser": 2,
    "non_automatic_scale": 7,
    "pressure_gauge": 4,
    "sphygmomanometer": 2,
    "clinical_thermometer": 1.5,
    "breath_alcohol_analyser": 0.4,
    "combustible_gas_detector": 1.5,
    "radar_speed_meter": 0.2,
    "sound_level_meter": 0.4,
    "caliper": 0.8,
    "micrometer": 0.4,
    "digital_multimeter": 0.6,
    "frequency_counter": 0.1,
    "illuminance_meter": 0.1,
}
# Relative weight of each district (roughly its resident population).
DISTRICT_WEIGHTS: dict[str, float] = {
    "310101": 6.6,
    "310104": 11.1,
    "310105": 6.9,
    "310106": 9.8,
    "310107": 12.4,
    "310109": 7.6,
    "310110": 12.4,
    "310112": 26.5,
    "310113": 22.4,
    "310114": 18.3,
    "310115": 56.8,
    "310116": 8.2,
    "310117": 19.1,
    "310118": 12.7,
    "310120": 11.5,
    "310151": 6.4,
}
# Standard devices per measurement area: (name, quantity, range, U, k, unit of U) or an accuracy class.
STANDARD_DEVICES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "length": (
        ("量块标准装置", "长度", "(0.5～100) mm", "U=0.05 µm"),
        ("通用卡尺检定装置", "长度", "(0～1000) mm", "MPE ±2 µm"),
        ("激光干涉仪标准装置", "长度", "(0～40) m", "U=0.3 µm"),
    ),
    "thermal": (
        ("二等铂电阻温度计标准装置", "温度", "(-60～420) ℃", "U=0.03 K"),
        ("工作用玻璃液体温度计标准装置", "温度", "(-30～300) ℃", "class 二等"),
    ),
    "mechanics": (
        ("活塞式压力计标准装置", "压力", "(0.04～60) MPa", "class 0.05"),
        ("水表检定装置", "流量", "(0.01～16) m³/h", "U=0.2 %"),
        ("燃气表检定装置", "流量", "(0.016～16) m³/h", "U=0.3 %"),
        ("E2等级砝码标准装置", "质量", "1 mg～20 kg", "class E2"),
        ("加油机检定装置", "容量", "(5～100) L", "MPE ±0.025 %"),
    ),
    "electromagnetism": (
        ("电能表检定装置", "电能", "(57.7～380) V, (0.01～100) A", "class 0.05"),
        ("数字多用表标准装置", "电压", "(0～1000) V", "U=5 µV/V"),
    ),
    "radio": (("雷达测速仪检定装置", "速度", "(20～300) km/h", "MPE ±0.5 km/h"),),
    "time_frequency": (("出租汽车计价器检定装置", "时间、距离", "(0～1000) km", "U=0.1 %"),),
    "ionising_radiation": (("γ射线空气比释动能标准装置", "空气比释动能", "(1～100) mGy", "U=3 %"),),
    "acoustics": (("声级计检定装置", "声压级", "(20～140) dB", "U=0.3 dB"),),
    "optics": (("照度计检定装置", "照度", "(1～10⁵) lx", "U=2 %"),),
    "physical_chemistry": (
        ("呼出气体酒精含量检测仪检定装置", "乙醇浓度", "(0～2) mg/L", "U=2 %"),
        ("可燃气体检测报警器检定装置", "甲烷浓度", "(0～100) %LEL", "U=2 %"),
        ("pH计检定装置", "pH", "0～14", "U=0.01"),
    ),
}
# Reference materials: (name, property, unit, value, relative U).
REFERENCE_MATERIALS = (
    ("pH标准缓冲溶液", "pH", "1", 4.003, 0.0025),
    ("pH标准缓冲溶液", "pH", "1", 6.864, 0.0015),
    ("甲醇中苯溶液标准物质", "质量浓度", "µg/mL", 1000.0, 0.01),
    ("氮中一氧化碳气体标准物质", "摩尔分数", "µmol/mol", 500.0, 0.01),
    ("氮中甲烷气体标准物质", "摩尔分数", "%", 2.5, 0.01),
    ("空气中乙醇气体标准物质", "质量浓度", "mg/L", 0.4, 0.02),
    ("电导率标准溶液", "电导率", "µS/cm", 1413.0, 0.005),
    ("水中铅成分分析标准物质", "质量浓度", "µg/mL", 100.0, 0.007),
    ("大米粉中镉成分分析标准物质", "质量分数", "mg/kg", 0.52, 0.04),
    ("黄铜成分分析标准物质", "铜的质量分数", "%", 62.1, 0.002),
    ("浊度标准物质", "浊度", "NTU", 400.0, 0.03),
    ("葡萄糖纯度标准物质", "纯度", "%", 99.8, 0.001),
)
LOCAL_SPEC_SUBJECTS = (
    "智能电能表现场检验",
    "超声波水表在线检验",
    "物联网燃气表远程检定",
    "电子计价秤使用中检验",
    "加油机税控计量监控",
    "医用血压计现场校准",
    "网约车计价软件计量",
    "电动汽车充电桩现场检定",
    "餐饮油烟在线监测仪校准",
    "噪声自动监测系统校准",
    "轨道交通计量器具管理",
    "集中供热热量表检定",
    "医用红外体温计校准",
    "定量包装商品净含量检验",
    "能源计量器具配备检查",
    "压力表快速检定",
)
ROADS = (
    "南京路 淮海路 肇嘉浜路 延安路 中山路 漕溪路 长寿路 四平路 虹桥路 世纪大道 张江路 宝杨路 "
    "嘉定城中路 金山大道 松江中山路 青浦公园路 奉贤南桥路 崇明八一路 曹杨路 控江路 吴中路 龙华路"
).split()
