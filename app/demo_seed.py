"""The demo market around Las Vegas; written only by `make run` into an empty database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from app.security import hash_password
from models import (
    Organization,
    OrganizationCapability,
    OrganizationMember,
    OrganizationService,
    User,
    UserSkill,
    Vehicle,
)
from models.enums import (
    PROFICIENCY_MIN_YEARS,
    CapabilityType,
    MemberRole,
    PricingModel,
    Proficiency,
    ServiceType,
    SkillCategory,
    WorkSchedule,
)

DEMO_PASSWORD = "demo-pass"
DEMO_ACCOUNTS = ("customer@demo.test", "owner@demo.test", "painter@demo.test", "admin@demo.test")

PAINT_JOB: dict[str, Any] = {
    "service_name": "Full repaint, show quality",
    "service_type": ServiceType.BODYWORK,
    "description": "Strip, prime, block, three-stage paint and clear coat in a downdraft booth.",
    "pricing_model": PricingModel.FIXED_PRICE,
    "base_price_cents": 200_000,
    "estimated_hours": Decimal("32"),
    "estimated_days": 3,
    "required_capabilities": [
        {"capability_type": "paint_booth", "hours": 16},
        {"capability_type": "vehicle_lift", "hours": 8},
        {"capability_type": "indoor_storage", "units": 200},
        {"capability_type": "air_compressor"},
    ],
    "required_skills": [
        {"skill_category": "painting", "min_proficiency": "proficient", "hours": 24},
        {"skill_category": "bodywork", "min_proficiency": "competent", "hours": 8},
    ],
}

VIVA_SERVICES: list[dict[str, Any]] = [
    PAINT_JOB,
    {
        "service_name": "Collision and body repair",
        "service_type": ServiceType.BODYWORK,
        "pricing_model": PricingModel.HOURLY_RATE,
        "hourly_rate_cents": 12_500,
        "materials_cost_cents": 15_000,
        "estimated_hours": Decimal("12"),
        "estimated_days": 2,
        "required_capabilities": [
            {"capability_type": "vehicle_lift", "hours": 12},
            {"capability_type": "welding_station", "hours": 4},
        ],
        "required_skills": [{"skill_category": "bodywork", "min_proficiency": "competent", "hours": 12}],
    },
    {
        "service_name": "Light Restoration",
        "service_type": ServiceType.LIGHT_RESTORATION,
        "pricing_model": PricingModel.TIERED,
        "price_tiers": [
            {"up_to_value_cents": 2_000_000, "price_cents": 1_500_000},
            {"up_to_value_cents": 5_000_000, "price_cents": 2_500_000},
            {"up_to_value_cents": None, "price_cents": 4_000_000},
        ],
        "estimated_hours": Decimal("120"),
        "estimated_days": 10,
        "required_capabilities": [
            {"capability_type": "vehicle_lift", "hours": 40},
            {"capability_type": "welding_station", "hours": 16},
            {"capability_type": "indoor_storage", "units": 300},
            {"capability_type": "electrical_system"},
        ],
        "required_skills": [
            {"skill_category": "assembly", "min_proficiency": "proficient", "hours": 80},
            {"skill_category": "welding", "min_proficiency": "competent", "hours": 16},
        ],
    },
    {
        "service_name": "Consignment Management",
        "service_type": ServiceType.CONSIGNMENT_MANAGEMENT,
        "description": "We store, present, list and sell the car; the fee is a share of the sale price.",
        "pricing_model": PricingModel.PERCENTAGE,
        "percentage_rate_bps": 800,
        "estimated_hours": Decimal("6"),
        "estimated_days": 1,
        "required_capabilities": [{"capability_type": "indoor_storage", "units": 200}],
        "required_skills": [{"skill_category": "detailing", "min_proficiency": "competent", "hours": 4}],
    },
    {
        "service_name": "Professional Detailing",
        "service_type": ServiceType.PROFESSIONAL_DETAILING,
        "pricing_model": PricingModel.PERCENTAGE,
        "percentage_rate_bps": 50,
        "estimated_hours": Decimal("8"),
        "estimated_days": 1,
        "required_capabilities": [{"capability_type": "vehicle_lift", "hours": 2}],
        "required_skills": [{"skill_category": "detailing", "min_proficiency": "proficient", "hours": 8}],
    },
    {
        "service_name": "Custom fabrication",
        "service_type": ServiceType.FABRICATION,
        "pricing_model": PricingModel.CUSTOM_QUOTE,
        "estimated_hours": Decimal("20"),
        "estimated_days": 3,
        "required_capabilities": [{"capability_type": "welding_station", "hours": 12}],
        "required_skills": [{"skill_category": "fabrication", "min_proficiency": "proficient", "hours": 20}],
    },
    {
        "service_name": "Storage Solutions (climate-controlled, per week)",
        "service_type": ServiceType.INDOOR_STORAGE,
        "pricing_model": PricingModel.FIXED_PRICE,
        "base_price_cents": 15_000,
        "estimated_days": 7,
        "required_capabilities": [{"capability_type": "indoor_storage", "units": 200}],
    },
]

VIVA_CAPABILITIES: list[dict[str, Any]] = [
    {
        "capability_type": CapabilityType.VEHICLE_LIFT,
        "name": "Two-post lifts",
        "quantity": 4,
        "hours_per_day": Decimal("10"),
        "days_per_week": 6,
    },
    {
        "capability_type": CapabilityType.INDOOR_STORAGE,
        "name": "Indoor storage",
        "quantity": 2000,
        "unit": "sq_ft",
        "days_per_week": 7,
        "hours_per_day": Decimal("24"),
    },
    {
        "capability_type": CapabilityType.PAINT_BOOTH,
        "name": "Downdraft paint booth",
        "quantity": 1,
        "hours_per_day": Decimal("10"),
        "days_per_week": 6,
    },
    {"capability_type": CapabilityType.AIR_COMPRESSOR, "name": "Compressed air, 80 gal", "quantity": 1},
    {
        "capability_type": CapabilityType.ELECTRICAL_SYSTEM,
        "name": "3-phase power",
        "quantity": 1,
        "specifications": {"volts": 208, "phases": 3},
    },
    {
        "capability_type": CapabilityType.WELDING_STATION,
        "name": "MIG/TIG welding",
        "quantity": 1,
        "hours_per_day": Decimal("8"),
        "days_per_week": 5,
    },
]


def _detail_service(name: str, service_type: ServiceType, price_cents: int, hours: int) -> dict[str, Any]:
    return {
        "service_name": name,
        "service_type": service_type,
        "pricing_model": PricingModel.FIXED_PRICE,
        "base_price_cents": price_cents,
        "estimated_hours": Decimal(hours),
        "estimated_days": 1,
        "required_capabilities": [{"capability_type": "vehicle_lift", "hours": hours}],
        "required_skills": [{"skill_category": "detailing", "min_proficiency": "proficient", "hours": hours}],
    }


OTHER_FACILITIES: list[dict[str, Any]] = [
    {
        "org": {
            "name": "Henderson Classic Restoration",
            "city": "Henderson",
            "latitude": 36.0395,
            "longitude": -114.9817,
            "tags": ["light_restoration", "classics"],
            "keywords": ["muscle cars", "frame-off"],
        },
        "capabilities": [
            {
                "capability_type": CapabilityType.VEHICLE_LIFT,
                "name": "Lifts",
                "quantity": 2,
                "hours_per_day": Decimal("8"),
            },
            {
                "capability_type": CapabilityType.PAINT_BOOTH,
                "name": "Paint booth",
                "quantity": 1,
                "hours_per_day": Decimal("8"),
            },
            {
                "capability_type": CapabilityType.INDOOR_STORAGE,
                "name": "Storage",
                "quantity": 800,
                "unit": "sq_ft",
                "days_per_week": 7,
                "hours_per_day": Decimal("24"),
            },
            {"capability_type": CapabilityType.AIR_COMPRESSOR, "name": "Compressor", "quantity": 1},
        ],
        "services": [
            {**PAINT_JOB, "service_name": "Classic repaint", "base_price_cents": 240_000},
            {
                "service_name": "Engine rebuild",
                "service_type": ServiceType.MECHANICAL_REPAIR,
                "pricing_model": PricingModel.HOURLY_RATE,
                "hourly_rate_cents": 14_000,
                "estimated_hours": Decimal("16"),
                "estimated_days": 2,
                "required_capabilities": [{"capability_type": "vehicle_lift", "hours": 16}],
                "required_skills": [{"skill_category": "mechanical", "min_proficiency": "proficient", "hours": 16}],
            },
            {
                "service_name": "Pre-purchase inspection",
                "service_type": ServiceType.INSPECTION_SERVICES,
                "pricing_model": PricingModel.FIXED_PRICE,
                "base_price_cents": 35_000,
                "estimated_hours": Decimal("3"),
                "estimated_days": 1,
                "required_capabilities": [{"capability_type": "vehicle_lift", "hours": 3}],
                "required_skills": [{"skill_category": "diagnostics", "min_proficiency": "competent", "hours": 3}],
            },
        ],
    },
    {
        "org": {
            "name": "North Las Vegas Paint & Body",
            "city": "North Las Vegas",
            "latitude": 36.1989,
            "longitude": -115.1175,
            "tags": ["bodywork", "collision"],
            "keywords": ["insurance", "fast"],
        },
        "capabilities": [
            {
                "capability_type": CapabilityType.VEHICLE_LIFT,
                "name": "Lifts",
                "quantity": 3,
                "hours_per_day": Decimal("9"),
            },
            {
                "capability_type": CapabilityType.PAINT_BOOTH,
                "name": "Booth",
                "quantity": 2,
                "hours_per_day": Decimal("9"),
            },
            {
                "capability_type": CapabilityType.INDOOR_STORAGE,
                "name": "Shop floor",
                "quantity": 400,
                "unit": "sq_ft",
                "days_per_week": 7,
                "hours_per_day": Decimal("24"),
            },
            {
                "capability_type": CapabilityType.OUTDOOR_STORAGE,
                "name": "Fenced lot",
                "quantity": 20,
                "unit": "spots",
                "days_per_week": 7,
                "hours_per_day": Decimal("24"),
            },
            {"capability_type": CapabilityType.PARKING_SPOTS, "name": "Trailer bay", "quantity": 2, "unit": "spots"},
            {"capability_type": CapabilityType.AIR_COMPRESSOR, "name": "Compressor", "quantity": 1},
        ],
        "services": [
            {**PAINT_JOB, "service_name": "Production repaint", "base_price_cents": 180_000},
            {
                "service_name": "Secure lot storage (per week)",
                "service_type": ServiceType.OUTDOOR_STORAGE,
                "pricing_model": PricingModel.FIXED_PRICE,
                "base_price_cents": 6_000,
                "estimated_days": 7,
                "required_capabilities": [{"capability_type": "outdoor_storage", "units": 1}],
            },
            {
                "service_name": "Enclosed transport in Nevada",
                "service_type": ServiceType.TRANSPORT_COORDINATION,
                "pricing_model": PricingModel.FIXED_PRICE,
                "base_price_cents": 45_000,
                "estimated_hours": Decimal("6"),
                "estimated_days": 1,
                "required_capabilities": [{"capability_type": "parking_spots", "units": 1}],
                "required_skills": [{"skill_category": "assembly", "min_proficiency": "learning", "hours": 6}],
            },
        ],
    },
    {
        "org": {
            "name": "Summerlin Detail Studio",
            "city": "Las Vegas",
            "latitude": 36.1699,
            "longitude": -115.3301,
            "tags": ["detailing"],
            "keywords": ["ceramic", "paint correction"],
        },
        "capabilities": [
            {
                "capability_type": CapabilityType.VEHICLE_LIFT,
                "name": "Detail lift",
                "quantity": 1,
                "hours_per_day": Decimal("8"),
            },
            {
                "capability_type": CapabilityType.WASH_BAY,
                "name": "Wash and photo bay",
                "quantity": 1,
                "hours_per_day": Decimal("8"),
            },
        ],
        "services": [
            VIVA_SERVICES[4],
            _detail_service("Two-stage paint correction", ServiceType.PAINT_CORRECTION, 60_000, 8),
            _detail_service("Ceramic coating, 5 years", ServiceType.CERAMIC_COATING, 120_000, 10),
            {
                "service_name": "Listing photography",
                "service_type": ServiceType.PHOTOGRAPHY,
                "pricing_model": PricingModel.FIXED_PRICE,
                "base_price_cents": 25_000,
                "estimated_hours": Decimal("2"),
                "estimated_days": 1,
                "required_capabilities": [{"capability_type": "wash_bay", "hours": 2}],
                "required_skills": [{"skill_category": "detailing", "min_proficiency": "learning", "hours": 2}],
            },
            {
                "service_name": "Online listing management",
                "service_type": ServiceType.LISTING_MANAGEMENT,
                "pricing_model": PricingModel.FIXED_PRICE,
                "base_price_cents": 30_000,
                "estimated_hours": Decimal("3"),
                "estimated_days": 1,
                "required_capabilities": [{"capability_type": "wash_bay", "hours": 1}],
                "required_skills": [{"skill_category": "detailing", "min_proficiency": "learning", "hours": 3}],
            },
        ],
    },
]

# (email, name, lat, lon, rating, jobs, [(category, skill, proficiency, rate $/h, radius mi)])
PEOPLE: list[tuple[str, str, float, float, str, int, list[tuple[SkillCategory, str, Proficiency, int, int]]]] = [
    (
        "painter@demo.test",
        "Rosa Delgado",
        36.1147,
        -115.1728,
        "4.90",
        212,
        [(SkillCategory.PAINTING, "Show-quality refinishing", Proficiency.EXPERT, 65, 30)],
    ),
    (
        "marcus.body@demo.test",
        "Marcus Webb",
        36.1300,
        -115.2000,
        "4.70",
        143,
        [
            (SkillCategory.BODYWORK, "Panel beating", Proficiency.PROFICIENT, 55, 25),
            (SkillCategory.WELDING, "MIG welding", Proficiency.COMPETENT, 50, 25),
        ],
    ),
    (
        "lena.paint@demo.test",
        "Lena Park",
        36.0800,
        -115.1500,
        "4.50",
        88,
        [(SkillCategory.PAINTING, "Custom paint", Proficiency.PROFICIENT, 50, 20)],
    ),
    (
        "tony.resto@demo.test",
        "Tony Alvarez",
        36.0500,
        -115.0500,
        "4.80",
        301,
        [
            (SkillCategory.ASSEMBLY, "Classic American restoration", Proficiency.MASTER, 70, 40),
            (SkillCategory.MECHANICAL, "Engine rebuilds", Proficiency.PROFICIENT, 60, 40),
        ],
    ),
    (
        "jade.detail@demo.test",
        "Jade Nguyen",
        36.1600,
        -115.3000,
        "4.95",
        410,
        [(SkillCategory.DETAILING, "Paint correction", Proficiency.EXPERT, 45, 15)],
    ),
    (
        "sam.weld@demo.test",
        "Sam Okafor",
        36.2000,
        -115.1200,
        "4.30",
        57,
        [
            (SkillCategory.WELDING, "TIG welding", Proficiency.PROFICIENT, 55, 35),
            (SkillCategory.FABRICATION, "Sheet metal fabrication", Proficiency.PROFICIENT, 60, 35),
        ],
    ),
    (
        "ivy.electric@demo.test",
        "Ivy Chen",
        36.1000,
        -115.2500,
        "4.60",
        120,
        [
            (SkillCategory.ELECTRICAL, "Classic wiring harnesses", Proficiency.EXPERT, 65, 30),
            (SkillCategory.DIAGNOSTICS, "OBD and carb tuning", Proficiency.PROFICIENT, 60, 30),
        ],
    ),
    (
        "omar.body@demo.test",
        "Omar Haddad",
        36.2100,
        -115.1000,
        "4.10",
        34,
        [
            (SkillCategory.BODYWORK, "Dent repair", Proficiency.COMPETENT, 40, 20),
            (SkillCategory.PAINTING, "Spot repair", Proficiency.COMPETENT, 40, 20),
        ],
    ),
    (
        "grace.uph@demo.test",
        "Grace Miller",
        36.0200,
        -115.2000,
        "4.85",
        95,
        [(SkillCategory.UPHOLSTERY, "Period-correct interiors", Proficiency.EXPERT, 55, 50)],
    ),
    (
        "kai.learn@demo.test",
        "Kai Brooks",
        36.1650,
        -115.2900,
        "4.20",
        6,
        [
            (SkillCategory.DETAILING, "Wash, clay and photos", Proficiency.LEARNING, 25, 20),
            (SkillCategory.ASSEMBLY, "Trailer loading and driving", Proficiency.LEARNING, 28, 60),
        ],
    ),
    (
        "dev.mech@demo.test",
        "Dev Patel",
        36.1750,
        -115.1400,
        "4.40",
        76,
        [
            (SkillCategory.MECHANICAL, "Drivetrain", Proficiency.PROFICIENT, 55, 25),
            (SkillCategory.ASSEMBLY, "Chrome and trim", Proficiency.PROFICIENT, 50, 25),
        ],
    ),
]


@dataclass(frozen=True)
class LaborProfile:
    """The seed's availability, logistics and portfolio columns of a demo person's skills."""

    hours_per_week: int = 40
    schedule: WorkSchedule = WorkSchedule.FLEXIBLE
    minimum_job_hours: int = 2
    has_own_tools: bool = True
    verified: bool = False  # by the demo admin
    certifications: tuple[tuple[str, str], ...] = ()
    portfolio: tuple[str, ...] = ()


PORTFOLIO = "https://portfolio.demo.test/"
DEMO_VERIFIED_AT = datetime(2025, 11, 1, 17, 0, tzinfo=UTC)
LABOR_PROFILES: dict[str, LaborProfile] = {
    "painter@demo.test": LaborProfile(
        45,
        verified=True,
        certifications=(("ASE Certified", "2019-03-01"), ("PPG Refinish Certified", "2021-06-15")),
        portfolio=(PORTFOLIO + "rosa/grand-national.jpg", PORTFOLIO + "rosa/chevelle.jpg"),
    ),
    "marcus.body@demo.test": LaborProfile(40, WorkSchedule.WEEKDAYS, 4, certifications=(("I-CAR Gold", "2020-01-10"),)),
    "lena.paint@demo.test": LaborProfile(30, WorkSchedule.FLEXIBLE, 4, portfolio=(PORTFOLIO + "lena/flames.jpg",)),
    "tony.resto@demo.test": LaborProfile(
        40,
        WorkSchedule.WEEKDAYS,
        8,
        verified=True,
        certifications=(("ASE Master Technician", "2012-09-01"),),
        portfolio=(PORTFOLIO + "tony/bel-air.jpg",),
    ),
    "jade.detail@demo.test": LaborProfile(
        35, verified=True, certifications=(("IDA Certified Detailer", "2018-05-20"),)
    ),
    "sam.weld@demo.test": LaborProfile(40, WorkSchedule.WEEKDAYS, 3, certifications=(("AWS D1.1", "2017-11-02"),)),
    "ivy.electric@demo.test": LaborProfile(32, verified=True, certifications=(("ASE A6 Electrical", "2016-04-12"),)),
    "omar.body@demo.test": LaborProfile(20, WorkSchedule.FLEXIBLE, 2, has_own_tools=False),
    "grace.uph@demo.test": LaborProfile(30, WorkSchedule.WEEKDAYS, 6, portfolio=(PORTFOLIO + "grace/interior.jpg",)),
    "kai.learn@demo.test": LaborProfile(16, WorkSchedule.WEEKENDS, 2, has_own_tools=False),
    "dev.mech@demo.test": LaborProfile(40, WorkSchedule.FLEXIBLE, 4),
}


async def database_is_empty() -> bool:
    return not await Organization.exists() and not await User.exists()


async def seed_demo() -> bool:
    """Write the demo market; returns False (and writes nothing) when the database already has data."""
    if not await database_is_empty():
        return False
    password_hash = hash_password(DEMO_PASSWORD)
    async with in_transaction():
        admin = await User.create(
            email="admin@demo.test", password_hash=password_hash, full_name="Ada Admin", is_admin=True
        )
        owner = await User.create(
            email="owner@demo.test",
            password_hash=password_hash,
            full_name="Vince Valentino",
            latitude=36.1716,
            longitude=-115.1391,
        )
        customer = await User.create(
            email="customer@demo.test",
            password_hash=password_hash,
            full_name="Carla Customer",
            latitude=36.1447,
            longitude=-115.1864,
        )
        await Vehicle.create(
            owner=customer,
            year=1987,
            make="Buick",
            model="Grand National",
            vin="1G4GJ1176HP441234",
            color="Black",
            value_cents=4_500_000,
            notes="Turbo V6, original paint faded on the hood and roof.",
        )
        viva = await Organization.create(
            name="Viva Las Vegas Autos",
            description="Full-service classic and custom shop off Fremont Street.",
            address="1200 Fremont St",
            city="Las Vegas",
            state="NV",
            postal_code="89101",
            latitude=36.1716,
            longitude=-115.1391,
            timezone="America/Los_Angeles",
            phone="+1 702 555 0100",
            email="shop@vivalasvegasautos.test",
            tags=["bodywork", "light_restoration", "classics"],
            keywords=["buick", "muscle cars", "show quality"],
        )
        await OrganizationMember.create(organization=viva, user=owner, role=MemberRole.OWNER)
        for capability in VIVA_CAPABILITIES:
            await OrganizationCapability.create(organization=viva, **capability)
        for service in VIVA_SERVICES:
            await OrganizationService.create(organization=viva, **service)
        for n, facility in enumerate(OTHER_FACILITIES, start=2):
            org = await Organization.create(state="NV", timezone="America/Los_Angeles", **facility["org"])
            # Each facility has an owner who can sign its contracts (quotes choose no facility without one).
            other_owner = await User.create(
                email=f"owner{n}@demo.test", password_hash=password_hash, full_name=f"{org.name} owner"
            )
            await OrganizationMember.create(organization=org, user=other_owner, role=MemberRole.OWNER)
            for capability in facility["capabilities"]:
                await OrganizationCapability.create(organization=org, **capability)
            for service in facility["services"]:
                await OrganizationService.create(organization=org, **service)
        for email, name, lat, lon, rating, jobs, skills in PEOPLE:
            person = await User.create(
                email=email,
                password_hash=password_hash,
                full_name=name,
                latitude=lat,
                longitude=lon,
                rating=Decimal(rating),
                rating_count=max(1, jobs // 3),
                completed_jobs=jobs,
            )
            profile = LABOR_PROFILES.get(email, LaborProfile())
            for category, skill_name, proficiency, rate, radius in skills:
                await UserSkill.create(
                    user=person,
                    skill_category=category,
                    skill_name=skill_name,
                    proficiency_level=proficiency,
                    hourly_rate_cents=rate * 100,
                    max_travel_distance_miles=radius,
                    years_experience=PROFICIENCY_MIN_YEARS[proficiency] + 1,  # inside the level's band
                    available_hours_per_week=profile.hours_per_week,
                    preferred_work_schedule=profile.schedule,
                    minimum_job_hours=profile.minimum_job_hours,
                    has_own_tools=profile.has_own_tools,
                    is_verified=profile.verified,
                    verified_by=admin if profile.verified else None,
                    verified_at=DEMO_VERIFIED_AT if profile.verified else None,
                    certifications=[{"name": n, "date": d} for n, d in profile.certifications],
                    portfolio_image_urls=list(profile.portfolio),
                )
    return True
