"""Brand lexicon: well-known merchant chains and services with their usual spending category."""

from __future__ import annotations

import re
from functools import lru_cache

from finance_app.ml.merchants import mask_digits

# Curated by hand from general knowledge of US, UK and EU chains (see data/README.md). Names are
# written as a bank prints them; matching ignores case, spaces, punctuation and "&"/"and", so
# "HOMEDEPOT", "Home Depot" and "THE HOME DEPOT #123" all match "home depot". The categories
# follow the training data's conventions (fuel/rideshare/parking/tolls -> Transport; airlines,
# hotels, car rental -> Travel; card issuers, lenders, brokers, P2P -> Transfer; sports streaming
# -> Entertainment; warehouse clubs -> Groceries; website builders -> Shopping). Banks and credit
# unions are a kind of their own ("Bank"), not a category: the same bank name is paid for a card
# bill, a loan or a mortgage, and the words around it decide. These are model features, not
# overrides: a brand token is one signal the classifier weighs.
_BRANDS: dict[str, str] = {
    "Groceries": """
        kroger, safeway, albertsons, publix, whole foods, wholefds, whole foods market, trader
        joe's, trader joes, aldi, lidl, heb, h-e-b, meijer, wegmans, food lion, giant eagle, giant
        food, stop & shop, shoprite, hannaford, harris teeter, hy-vee, hyvee, winco, winn-dixie,
        winn dixie, ralphs, vons, pavilions, fred meyer, king soopers, smith's food, fry's food,
        qfc, dillons, mariano's, pick 'n save, jewel-osco, jewel osco, acme markets, shaw's, star
        market, tom thumb, randalls, sprouts, sprouts farmers market, fresh market, the fresh
        market, natural grocers, earth fare, piggly wiggly, ingles, bi-lo, bilo, food 4 less,
        foodsco, save a lot, save-a-lot, grocery outlet, smart & final, stater bros, raley's, lucky
        supermarket, savemart, save mart, foodmaxx, cardenas, vallarta, northgate market, el super,
        fiesta mart, 99 ranch, ranch 99, h mart, hmart, mitsuwa, uwajimaya, seafood city, patel
        brothers, market basket, price chopper, market 32, tops markets, tops friendly, weis
        markets, giant martin's, martin's food, food city, bashas, fareway, schnucks, dierbergs,
        festival foods, cub foods, lunds & byerlys, woodman's, county market, brookshire,
        brookshire's, united supermarkets, lowes foods, lowe's foods, harps food, price rite, key
        food, c-town, ctown, fairway market, morton williams, gristedes, d'agostino, food bazaar,
        western beef, associated supermarket, sedano's, bravo supermarkets, presidente supermarket,
        fresco y mas, superior grocers, food city, rouses, dollar general market, grocery pickup,
        instacart, freshdirect, fresh direct, peapod, thrive market, imperfect foods, misfits
        market, amazon fresh, weee, gopuff, shipt, wal-mart supercenter, walmart supercenter, wm
        supercenter, walmart grocery, tesco, sainsbury's, sainsburys, asda, morrisons, waitrose,
        co-op food, coop food, iceland foods, ocado, marks & spencer food, m&s food, booths,
        budgens, spar, nisa, londis, costcutter, farmfoods, carrefour, auchan, leclerc, e.leclerc,
        intermarche, monoprix, franprix, casino supermarche, rewe, edeka, kaufland, netto, penny
        markt, real markt, albert heijn, jumbo supermarkten, plus supermarkt, delhaize, colruyt,
        mercadona, dia supermercados, eroski, esselunga, conad, coop italia, pingo doce, continente,
        billa, hofer, migros, coop schweiz, ica, willys, hemkop, rema 1000, kiwi minipris, s-market,
        k-market, loblaws, no frills, sobeys, metro grocery, food basics, save-on-foods, freshco,
        longo's, t&t supermarket, farm boy, woolworths, coles, new world supermarket, pak'nsave,
        real canadian superstore, bel air markets, nob hill foods, costco, bj's, costco whse, costco
        wholesale, bj's wholesale, bjs wholesale
    """,
    "Restaurants": """
        mcdonald's, mcdonalds, burger king, wendy's, wendys, taco bell, kfc, kentucky fried,
        popeyes, chick-fil-a, chickfila, chipotle, subway sandwich, subway restaurant, jimmy john's,
        jersey mike's, firehouse subs, potbelly, jason's deli, mcalister's, panera, panera bread,
        starbucks, sbux, dunkin, dunkin donuts, dutch bros, peet's, peets coffee, caribou coffee,
        tim hortons, coffee bean & tea leaf, blue bottle, philz coffee, krispy kreme, domino's,
        dominos, pizza hut, papa john's, papa johns, little caesars, papa murphy's, marco's pizza,
        round table pizza, mod pizza, blaze pizza, sbarro, cicis, hungry howie's, jet's pizza, sonic
        drive-in, sonic drive in, arby's, arbys, jack in the box, carl's jr, hardee's, whataburger,
        in-n-out, in n out, five guys, shake shack, culver's, steak n shake, white castle, checkers,
        rally's, del taco, el pollo loco, qdoba, moe's southwest, baja fresh, taco cabana, taco
        john's, panda express, pf chang's, p.f. chang's, pei wei, raising cane's, raising canes,
        zaxby's, bojangles, church's chicken, wingstop, buffalo wild wings, bww, wing stop, hooters,
        dairy queen, baskin robbins, cold stone, menchie's, yogurtland, pinkberry, auntie anne's,
        cinnabon, wetzel's pretzels, jamba, jamba juice, smoothie king, tropical smoothie, nothing
        bundt cakes, crumbl, insomnia cookies, dave's hot chicken, olive garden, red lobster,
        longhorn steakhouse, outback, outback steakhouse, texas roadhouse, applebee's, applebees,
        chili's, chilis, tgi fridays, ruby tuesday, red robin, denny's, dennys, ihop, waffle house,
        cracker barrel, bob evans, village inn, first watch, black bear diner, the cheesecake
        factory, cheesecake factory, bj's restaurant, yard house, maggiano's, carrabba's, bonefish
        grill, fleming's, ruth's chris, morton's, capital grille, del frisco's, fogo de chao,
        benihana, kona grill, p f chang, california pizza kitchen, cpk, bob evans, golden corral,
        hometown buffet, sweet tomatoes, souplantation, noodles & company, noodles and company,
        sweetgreen, cava, tender greens, true food, zoe's kitchen, chopt, just salad, dig inn, pret
        a manger, pret, le pain quotidien, au bon pain, corner bakery, einstein bros, bruegger's,
        manhattan bagel, tim horton, costa coffee, caffe nero, greggs, nando's, nandos, wagamama,
        itsu, leon restaurants, yo! sushi, pizza express, zizzi, ask italian, franco manca, honest
        burgers, byron burger, five guys uk, harvester, toby carvery, wetherspoon, jd wetherspoon,
        frankie & benny's, prezzo, bella italia, dishoom, gail's bakery, paul bakery, la brioche
        doree, vapiano, nordsee, telepizza, pans & company, autogrill, doordash, door dash, uber
        eats, ubereats, grubhub, postmates, seamless, deliveroo, just eat, justeat, foodpanda, skip
        the dishes, skipthedishes, menufy, chownow, slice pizza, toast tab, ezcater, waitr, favor
        delivery, bite squad, eat24, wolt, glovo, lieferando, thuisbezorgd, zomato, swiggy,
        jollibee, bonchon, kura sushi, yoshinoya, pho hoa, lee's sandwiches, ruth chris, steak 48,
        portillo's, culvers, freddy's frozen custard, cook out, cookout, bojangle's, biscuitville,
        hardees, carls jr, jack-in-the-box, el pollo, pollo tropical, pollo campero, torchy's tacos,
        chuy's, on the border, abuelo's, uncle julio's, cafe rio, costa vida, wahoo's, rubio's,
        pieology, &pizza, which wich, schlotzsky's, quiznos, blimpie, jimmy johns, jersey mikes,
        cosi, tijuana flats, bubba gump, joe's crab shack, landry's, bahama breeze, seasons 52,
        eddie v's, the capital grille, old country buffet, luby's, steak and ale, huddle house,
        shoney's, bob's big boy, big boy, frisch's, skyline chili, gold star chili, lion's choice,
        zippy's, l&l hawaiian, pinches tacos, wienerschnitzel, nathan's, tasty burger, smashburger,
        habit burger, the habit, fatburger, johnny rockets, wayback burgers, burgerfi, mooyah, red
        mango, tcby, rita's, bahama buck's, tous les jours, paris baguette, 85c bakery, chatime,
        kung fu tea, gong cha, tiger sugar, sharetea, boba guys, teavana, david's tea, argo tea,
        intelligentsia, la colombe, stumptown, gregorys coffee, joe & the juice, joe and the juice,
        black rifle coffee, scooter's coffee, biggby, human bean, ziggi's, 7 brew, seven brew,
        coffee beanery, tully's, diedrich, honeygrow, subway, uber eats
    """,
    "Transport": """
        shell, shell oil, chevron, exxon, exxonmobil, mobil, amoco, arco, texaco, sunoco, marathon
        petro, speedway, valero, citgo, phillips 66, conoco, 76 gas, union 76, circle k, wawa,
        sheetz, quiktrip, racetrac, murphy usa, murphy express, casey's, caseys, pilot travel, pilot
        flying j, flying j, love's travel, loves travel, ta travel center, petro stopping, kwik
        trip, kwik star, holiday stationstores, kum & go, maverik, thorntons, gulf oil, sinclair,
        cenex, getty petroleum, hess, speedway llc, clark gas, bucee's, buc-ee's, stewart's shops,
        cumberland farms, royal farms, rutter's, turkey hill, wesco, kroger fuel, costco gas, sam's
        fuel, safeway fuel, shell uk, esso, jet petrol, texaco uk, total energies, totalenergies,
        aral, q8, repsol, cepsa, eni, agip, omv, orlen, tamoil, avia, uber trip, uber *trip, uber
        rides, lyft, lyft ride, via rides, curb taxi, yellow cab, flywheel, gett, bolt ride, free
        now, freenow, cabify, blablacar, addison lee, mta, nyc transit, metrocard, omny, mbta,
        charliecard, septa, wmata, smartrip, bart, clipper card, caltrain, muni, sfmta, la metro,
        lacmta, tap card, metrolink, cta, ventra, metra, marta, dart transit, king county metro,
        sound transit, orca card, trimet, hop fastpass, rtd denver, valley metro, capmetro, metro
        transit, njtransit, nj transit, path train, lirr, metro north, metro-north, mta lirr,
        metrorail, trinity metro, tfl, transport for london, oyster card, national rail, trainline,
        lner, gwr, avanti west coast, southern rail, thameslink, scotrail, northern rail, ratp,
        navigo, bvg, mvg, hvv, ns reizen, ov-chipkaart, gvb, stib, renfe cercanias, e-zpass, ezpass,
        e zpass, sunpass, fastrak, txtag, ntta, tolltag, peach pass, i-pass, ipass, ez tag, eztag,
        pikepass, k-tag, nc quick pass, epass, express toll, toll road, tollway, harris county toll,
        bay area fastrak, illinois tollway, pa turnpike, nj turnpike, mass turnpike, dart charge,
        parkmobile, park mobile, spothero, spot hero, paybyphone, pay by phone, passport parking,
        laz parking, sp+ parking, sp plus, abm parking, impark, premier parking, ace parking, towne
        park, propark, icon parking, central parking, park whiz, parkwhiz, honk mobile, flash
        parking, metropolis parking, reef parking, interpark, ringgo, justpark, ncp parking, apcoa,
        indigo parking, easypark, q-park, chargepoint, evgo, electrify america, tesla supercharger,
        blink charging, ionna, volta charging, shell recharge, greenlots, ev connect, pod point,
        ionity, autozone, advance auto parts, o'reilly auto, oreilly auto, napa auto, pep boys,
        jiffy lube, valvoline, valvoline instant, take 5 oil, take five oil, grease monkey, midas,
        meineke, firestone, firestone complete auto, goodyear, discount tire, tire kingdom, ntb
        tire, big o tires, les schwab, monro muffler, mavis tires, christian brothers automotive,
        caliber collision, maaco, safelite, mister car wash, mr car wash, quick quack, tommy's
        express, zips car wash, el car wash, take 5 car wash, modern car wash, dmv, department of
        motor vehicles, bird scooter, lime scooter, lime ride, spin scooter, citi bike, citibike,
        divvy, capital bikeshare, bay wheels, blue bikes, bluebikes, santander cycles, zipcar,
        getaround, car2go, share now, enterprise carshare, kwik fill, quik trip, allsup's, weigel's,
        sheetz gas, wawa fuel, gate petroleum, twice daily, mapco, huck's, fastrac, world fuel,
        citgo petroleum, sunoco gas, shell service, uber
    """,
    "Utilities": """
        pg&e, pacific gas and electric, pacific gas & electric, socal edison, southern california
        edison, sce, sdg&e, san diego gas, socalgas, southern california gas, con edison, coned, con
        ed, national grid, pseg, pse&g, duke energy, dominion energy, georgia power, alabama power,
        mississippi power, southern company, florida power & light, fpl, tampa electric, teco, xcel
        energy, entergy, ameren, comed, commonwealth edison, peco, bge, pepco, delmarva power,
        atlantic city electric, ppl electric, met-ed, penelec, first energy, firstenergy, aep,
        appalachian power, ohio edison, dte energy, consumers energy, we energies, alliant energy,
        evergy, oncor, txu energy, reliant energy, centerpoint, cps energy, austin energy, srp, salt
        river project, arizona public service, tucson electric, nv energy, puget sound energy, pse,
        seattle city light, portland general electric, pacific power, pacificorp, rocky mountain
        power, idaho power, avista, ladwp, la dwp, los angeles department of water, smud,
        eversource, unitil, central maine power, green mountain power, nyseg, rg&e, central hudson,
        orange & rockland, jcp&l, rockland electric, duquesne light, west penn power, appalachian
        electric, kentucky utilities, lg&e, tva, memphis light, nashville electric, epb, oklahoma
        gas & electric, og&e, pnm, el paso electric, black hills energy, nicor gas, peoples gas,
        columbia gas, washington gas, piedmont natural gas, spire energy, atmos energy, southwest
        gas, questar gas, vectren, nipsco, american water, aqua america, essential utilities,
        california water service, cal water, golden state water, san jose water, dc water, nyc
        water, denver water, waste management, wm waste, republic services, waste connections,
        rumpke, casella, wm ezpay, recology, gfl environmental, waste pro, at&t, att, at&t wireless,
        at t, verizon, verizon wireless, vzwrlss, t-mobile, tmobile, sprint, us cellular, cricket
        wireless, metro by t-mobile, metropcs, boost mobile, mint mobile, visible wireless, google
        fi, straight talk, tracfone, consumer cellular, xfinity, comcast, spectrum, charter
        communications, cox communications, cox comm, optimum, altice, frontier communications,
        centurylink, lumen, windstream, mediacom, suddenlink, wow internet, wideopenwest, rcn,
        astound, grande communications, wave broadband, sparklight, cable one, google fiber,
        starlink, hughesnet, viasat, earthlink, brightspeed, ziply fiber, metronet, dish network,
        directv, vonage, ooma, magicjack, british gas, edf energy, e.on, eon energy, octopus energy,
        ovo energy, scottish power, sse energy, bulb energy, shell energy, so energy, thames water,
        severn trent, anglian water, united utilities, yorkshire water, southern water, south west
        water, welsh water, bt group, british telecom, sky uk, sky digital, virgin media, vodafone,
        ee limited, o2 uk, three uk, giffgaff, tesco mobile, plusnet, talktalk, hyperoptic, council
        tax, tv licence, tv licensing, orange sa, sfr, bouygues telecom, free mobile, deutsche
        telekom, telekom, o2 germany, 1&1, vattenfall, engie, enel, iberdrola, endesa, naturgy,
        eneco, essent, ziggo, kpn, proximus, telenet, movistar, telefonica, tim italia, wind tre,
        fastweb, swisscom, bell canada, telus, fido, koodo, shaw communications, hydro one, toronto
        hydro, bc hydro, hydro quebec, enbridge, fortisbc, epcor, atco, rogers wireless, rogers
        communications, arizona public service, vivint
    """,
    "Rent": """
        greystar, equity residential, avalonbay, avalon communities, essex property, camden
        property, camden living, udr, maa, mid-america apartment, aimco, air communities, bozzuto,
        related companies, related cos, lincoln property, irvine company, invitation homes, american
        homes 4 rent, ah4r, tricon residential, progress residential, firstkey homes, main street
        renewal, pretium, roots rent, bell partners, wood partners, alliance residential, trammell
        crow residential, brookfield properties, brookfield residential, jbg smith, gables
        residential, post properties, windsor communities, fairfield residential, sares regis, mill
        creek residential, lennar multifamily, quarterra, morgan properties, monument real estate,
        edward rose, asset living, rpm living, pinnacle property, fpi management, conam, mission
        rock residential, cushman & wakefield residential, bh management, weidner apartment, trinity
        property, apartment income reit, independence realty, nrp group, walton communities, arium,
        waterton, kettler, dolben, northwood ravin, the bainbridge companies, roscoe property,
        sterling apartments, rentcafe, rent cafe, yardi, appfolio, buildium, rentec direct,
        propertyware, resman, entrata, realpage, rent payment, rentpayment, paylease, zego,
        clickpay, cozy rent, avail rent, turbotenant, zillow rent, zillow rental, apartments.com,
        rent.com, bilt rent, bilt rewards rent, flex rent, getflex, doorloop, tenantcloud, innago,
        rentredi, payrent, rentmoola, residentportal, mynd management, renters warehouse, first
        service residential, firstservice residential, compass rose, keyrenter, real property
        management, pmi property, greystar rent, student housing, american campus communities,
        ecampus housing, campus advantage, landmark properties, the scion group, peak campus,
        cardinal group, university house, mynd
    """,
    "Mortgage": """
        rocket mortgage, quicken loans, mr. cooper, mr cooper, nationstar, pennymac, loandepot, loan
        depot, freedom mortgage, newrez, shellpoint, lakeview loan, cenlar, ocwen, phh mortgage,
        caliber home loans, guild mortgage, united wholesale mortgage, uwm, flagstar, carrington
        mortgage, roundpoint, dovenmuehle, loancare, sun west mortgage, amerihome, movement
        mortgage, guaranteed rate, rate.com, fairway independent, fairway mortgage, crosscountry
        mortgage, primelending, academy mortgage, nations lending, homepoint, home point financial,
        planet home lending, midfirst, midland mortgage, selene finance, specialized loan, sls
        servicing, bayview loan, rushmore loan, fay servicing, select portfolio, spservicing,
        ditech, seterus, cmg financial, new american funding, better mortgage, better.com, sofi
        mortgage, navy federal mortgage, chase home finance, chase mortgage, wells fargo home
        mortgage, wf home mtg, bank of america mortgage, bofa mortgage, us bank home mortgage, citi
        mortgage, citimortgage, truist mortgage, pnc mortgage, fifth third mortgage, huntington
        mortgage, regions mortgage, m&t mortgage, td bank mortgage, usaa mortgage, veterans united,
        nvr mortgage, pulte mortgage, dhi mortgage, lennar mortgage, toll brothers mortgage, ally
        home, figure lending, spring eq, hometown lenders, supreme lending, draper and kramer,
        waterstone mortgage, cardinal financial, angel oak, homebridge, stearns lending, provident
        funding, ruoff mortgage, union home mortgage, embrace home loans, citizens mortgage,
        nationwide building society mortgage, halifax mortgage, santander mortgage
    """,
    "Shopping": """
        target, walmart, wal-mart, wal mart, wm.com, walmart.com, amazon, amzn, amazon.com, amzn
        mktp, amazon marketplace, ebay, etsy, temu, shein, wish.com, aliexpress, alibaba, wayfair,
        overstock, chewy, petco, petsmart, best buy, bestbuy, home depot, the home depot, homedepot,
        lowe's, lowes, menards, ace hardware, true value, harbor freight, northern tool, tractor
        supply, sam's club, kohl's, kohls, macy's, macys, nordstrom, nordstrom rack, jcpenney, jc
        penney, dillard's, belk, bloomingdale's, saks fifth avenue, saks off 5th, neiman marcus,
        bergdorf, lord & taylor, von maur, boscov's, tj maxx, tjmaxx, marshalls, homegoods, home
        goods, sierra trading, ross stores, ross dress for less, burlington, burlington coat, old
        navy, gap, banana republic, athleta, j.crew, jcrew, madewell, american eagle, aerie,
        abercrombie, hollister, urban outfitters, anthropologie, free people, forever 21, h&m, zara,
        uniqlo, express, loft, ann taylor, lane bryant, torrid, victoria's secret, pink victoria,
        lululemon, nike, adidas, under armour, foot locker, finish line, champs sports, dsw, famous
        footwear, payless shoes, journeys, skechers, crocs, vans, converse, new balance, zappos,
        rei, dick's sporting, dicks sporting goods, academy sports, big 5 sporting, bass pro,
        cabela's, scheels, sportsman's warehouse, dunham's, hibbett, modell's, golf galaxy, pga tour
        superstore, bed bath & beyond, bed bath and beyond, pottery barn, williams-sonoma, williams
        sonoma, west elm, crate & barrel, crate and barrel, cb2, rh, restoration hardware, pier 1,
        kirkland's, ikea, ashley furniture, ashley homestore, rooms to go, bob's discount furniture,
        havertys, la-z-boy, mattress firm, sleep number, casper, purple mattress, tempur-pedic, big
        lots, ollie's bargain, dollar tree, dollar general, family dollar, five below, 99 cents
        only, fred's, michaels, hobby lobby, joann, jo-ann fabrics, party city, spirit halloween,
        books-a-million, half price books, powell's books, staples, office depot, officemax,
        gamestop, apple store, apple online store, microsoft store, samsung store, b&h photo,
        adorama, newegg, micro center, fry's electronics, radioshack, crutchfield, dell.com, dell
        technologies, hp store, lenovo, verizon store, sherwin-williams, sherwin williams, benjamin
        moore, floor & decor, lumber liquidators, ll flooring, tile shop, container store, the
        container store, total wine, total wine & more, bevmo, spec's, binny's, abc fine wine,
        liquor barn, drizly, minibar delivery, reservebar, wine.com, jcp, zulily, qvc, hsn, hsn
        shop, poshmark, mercari, thredup, the realreal, depop, offerup, stockx, grailed, vinted,
        rakuten, groupon, woot, fanatics, lids, hot topic, boxlunch, spencer's, claire's, pandora
        jewelry, kay jewelers, zales, jared, signet, tiffany & co, tiffany, blue nile, james avery,
        alex and ani, swarovski, brilliant earth, fossil, sunglass hut, oakley, ray-ban,
        1-800-flowers, 1800flowers, ftd, proflowers, teleflora, edible arrangements, shutterfly,
        snapfish, vistaprint, cricut, build-a-bear, build a bear, toys r us, lego store, the lego
        store, american girl, disney store, carter's, oshkosh, children's place, gymboree, janie and
        jack, buy buy baby, babies r us, pottery barn kids, crate kids, guitar center, sam ash,
        sweetwater, musician's friend, petco.com, chewy.com, tractor supply co, rural king,
        orscheln, blain's farm, atwoods, fleet farm, mills fleet farm, lowe's home, 84 lumber,
        builders firstsource, angi, angie's list, homeadvisor, thumbtack, taskrabbit, handy.com,
        terminix, orkin, truly nolen, aptive, trugreen, lawn doctor, roto-rooter, mr. rooter, mr
        rooter, ars rescue rooter, one hour heating, mr. electric, molly maid, merry maids, the
        maids, stanley steemer, chemdry, servpro, two men and a truck, public storage, extra space
        storage, cubesmart, life storage, storage king, argos, currys, john lewis, primark, next
        plc, next retail, boots retail, tk maxx, b&q, wickes, screwfix, toolstation, homebase,
        dunelm, the range, b&m, b&m bargains, poundland, wilko, jd sports, sports direct, debenhams,
        selfridges, harrods, fenwick, house of fraser, marks & spencer, marks and spencer, m&s,
        river island, new look, topshop, asos, boohoo, very.co.uk, ao.com, ebuyer, smyths toys, the
        entertainer, hamleys, waterstones, whsmith, w h smith, ryman, hobbycraft, majestic wine,
        laithwaites, decathlon, fnac, darty, boulanger, la redoute, galeries lafayette, printemps,
        el corte ingles, media markt, mediamarkt, zalando, dm drogerie, rossmann, muller drogerie,
        action stores, hema, bol.com, coolblue, kruidvat, blokker, xenos, flying tiger, normal
        stores, tchibo, lidl shop, kik textil, c&a, peek & cloppenburg, breuninger, about you,
        mango, pull&bear, bershka, stradivarius, massimo dutti, oysho, primark stores, desigual,
        benetton, ovs, coin casa, leroy merlin, bricorama, castorama, obi baumarkt, hornbach,
        bauhaus, gamma bouwmarkt, jysk, maisons du monde, conforama, but meubles, canadian tire,
        hudson's bay, roots canada, indigo books, london drugs, sport chek, mark's work wearhouse,
        dollarama, giant tiger, home hardware, rona, sail outdoors, cotton on, kmart australia, big
        w, jb hi-fi, harvey norman, bunnings, officeworks, rebel sport, at home store, douglas
        parfumerie, godaddy, namecheap, squarespace, wix.com, wix, weebly, bluehost, hostgator,
        siteground, dreamhost, hostinger, wordpress.com, automattic, glossier
    """,
    "Entertainment": """
        amc theatres, amc theaters, amc theatre, regal cinemas, regal cinema, cinemark, alamo
        drafthouse, harkins theatres, marcus theatres, studio movie grill, showcase cinemas,
        landmark theatres, angelika, ipic, cinepolis, emagine, b&b theatres, megaplex, fandango,
        atom tickets, movietickets.com, ticketmaster, live nation, livenation, stubhub, seatgeek,
        vivid seats, eventbrite, axs tickets, tickpick, gametime tickets, ticketweb, etix, see
        tickets, dice.fm, universe tickets, telecharge, todaytix, broadway.com, steam games,
        steampowered, valve steam, steam purchase, playstation store, playstation network, sony
        playstation, psn, xbox store, microsoft xbox, xbox live, nintendo eshop, nintendo, epic
        games, riot games, blizzard, battle.net, activision, electronic arts, ea games, origin ea,
        ubisoft, rockstar games, bethesda, square enix, roblox, roblox corp, minecraft, mojang,
        supercell, king.com, candy crush, zynga, gog.com, humble bundle, itch.io, green man gaming,
        twitch bits, fortnite, valorant, league of legends, genshin, hoyoverse, mihoyo, disneyland,
        disney world, walt disney world, disney parks, universal studios, universal orlando, six
        flags, cedar point, cedar fair, knott's berry farm, kings island, busch gardens, seaworld,
        legoland, dollywood, hersheypark, carowinds, kings dominion, silverwood, schlitterbahn,
        typhoon lagoon, top golf, topgolf, drive shack, puttshack, bowlero, amf bowling, lucky
        strike, main event, round1, round 1, urban air, sky zone, altitude trampoline, launch
        trampoline, pinstripes, punch bowl social, kings dining & entertainment, escape the room,
        the escape game, museum of ice cream, meow wolf, madame tussauds, ripley's, guinness world
        records, empire state building, top of the rock, edge nyc, moma, the met, metropolitan
        museum, smithsonian, field museum, getty center, georgia aquarium, monterey bay aquarium,
        shedd aquarium, san diego zoo, bronx zoo, national park service, recreation.gov, draftkings,
        fanduel, betmgm, caesars sportsbook, pointsbet, barstool sportsbook, espn bet, bet365,
        betrivers, hard rock bet, prizepicks, underdog fantasy, sleeper fantasy, chumba casino,
        pulsz, wow vegas, mgm grand, caesars palace, bellagio, wynn las vegas, venetian, foxwoods,
        mohegan sun, borgata, harrah's, hard rock casino, seminole hard rock, ballys, golden nugget,
        the cosmopolitan, state lottery, lottery commission, powerball, mega millions, scratchers,
        ticketmaster uk, odeon, vue cinemas, cineworld, picturehouse, everyman cinema, showcase uk,
        merlin entertainments, alton towers, thorpe park, chessington, legoland windsor, london eye,
        national trust, english heritage, ladbrokes, william hill, paddy power, betfair, coral bet,
        sky bet, betfred, national lottery, camelot lottery, pathe, ugc cine, cinemaxx, cinestar,
        kinepolis, disneyland paris, europa-park, efteling, port aventura, gardaland, tivoli
        gardens, liseberg, phantasialand, puy du fou, parc asterix, cineplex, landmark cinemas,
        canada's wonderland, la ronde, lotto max, espn+, espn plus, fubotv, fubo tv, dazn, dazn uk,
        nba league pass, mlb.tv, nfl+, nfl sunday ticket, chuck e cheese, dave & buster's, nhl.tv,
        ufc fight pass, f1 tv, wwe network, nfl game pass, mls season pass
    """,
    "Health": """
        cvs, cvs pharmacy, cvs/pharmacy, walgreens, rite aid, duane reade, costco pharmacy, walmart
        pharmacy, kroger pharmacy, publix pharmacy, heb pharmacy, safeway pharmacy, express scripts,
        optum rx, optumrx, caremark, cvs caremark, humana pharmacy, alto pharmacy, capsule pharmacy,
        amazon pharmacy, pillpack, goodrx, cost plus drugs, mark cuban cost plus, blink health,
        healthwarehouse, honeybee health, truepill, quest diagnostics, labcorp, lab corp,
        bioreference, sonic healthcare, enzo clinical, minuteclinic, minute clinic, citymd, city md,
        concentra, medexpress, fastmed, patient first, nextcare, gohealth urgent care, carbon
        health, one medical, onemedical, forward health, parsley health, teladoc, amwell, american
        well, mdlive, doctor on demand, plushcare, k health, sesame care, zocdoc, hims, hims & hers,
        ro.co, roman health, nurx, thirty madison, curology, apostrophe derm, betterhelp, talkspace,
        cerebral, done adhd, alma mental, lyra health, spring health, ginger health, noom med, found
        health, kaiser permanente, kaiser foundation, mayo clinic, cleveland clinic, johns hopkins,
        mass general, massachusetts general, brigham and women's, mount sinai, nyu langone,
        newyork-presbyterian, ny presbyterian, northwell health, montefiore, ucla health, ucsf
        health, stanford health, cedars-sinai, cedars sinai, sutter health, providence health,
        dignity health, commonspirit, hca healthcare, tenet healthcare, ascension health, advocate
        aurora, atrium health, novant health, baylor scott & white, memorial hermann, houston
        methodist, md anderson, intermountain healthcare, banner health, honorhealth, adventhealth,
        orlando health, baptist health, ochsner, uc health, upmc, geisinger, penn medicine,
        jefferson health, christiana care, inova, medstar, sentara, carilion, vcu health, wakemed,
        unc health, duke health, emory healthcare, piedmont healthcare, wellstar, beaumont health,
        corewell health, henry ford health, spectrum health, trinity health, sanford health,
        essentia health, allina health, fairview health, hennepin healthcare, ssm health, mercy
        health, bjc healthcare, froedtert, aurora health, ohiohealth, promedica, prisma health, musc
        health, tampa general, jackson health, mount carmel, legacy health, multicare, virginia
        mason, swedish medical, peacehealth, scripps health, sharp healthcare, rady children's,
        children's hospital, st. jude, shriners, labcorp patient, quest patient, lenscrafters,
        pearle vision, visionworks, america's best contacts, americas best, eyemart express, for
        eyes, myeyedr, 1-800 contacts, 1800contacts, contacts direct, glasses usa, zenni optical,
        eyebuydirect, aspen dental, western dental, pacific dental, heartland dental, smile direct
        club, smiledirectclub, invisalign, candid co, byte aligners, coast dental, gentle dental,
        bright now dental, dental care alliance, kool smiles, affordable dentures, comfort dental,
        sonrava, 1st family dental, athletico, ati physical therapy, upstream rehabilitation, select
        physical therapy, confluent health, results physiotherapy, the joint chiropractic, hearusa,
        miracle-ear, beltone, hearing life, amplifon, lincare, apria, adapthealth, dexcom, omnipod,
        insulet, tandem diabetes, livongo, omada health, planned parenthood, labfinder, everlywell,
        letsgetchecked, 23andme, ancestry health, lifeline screening, davita, fresenius, quest lab,
        labcorp lab, nhs, nhs prescription, lloyds pharmacy, lloydspharmacy, superdrug pharmacy,
        boots pharmacy, well pharmacy, specsavers, vision express, bupa, nuffield health, spire
        healthcare, doctolib, docmorris, shop apotheke, apotheke, pharmacie, farmacia, apotek,
        shoppers drug mart, jean coutu, pharmaprix, rexall, uniprix, familiprix, pharmasave,
        guardian pharmacy, chemist warehouse, priceline pharmacy, warby parker, warby parker optical
    """,
    "Income": """
        adp payroll, adp, paychex, gusto, gusto pay, paylocity, ceridian, dayforce, intuit payroll,
        quickbooks payroll, trinet, justworks, rippling, paycom, paycor, insperity, zenefits,
        bamboohr, workday payroll, ukg, ultipro, kronos, namely, deel, remote.com, oyster hr, papaya
        global, onpay, square payroll, wave payroll, patriot payroll, surepayroll, heartland
        payroll, paycheck deposit, payroll deposit, ssa treas, social security, us treasury, irs
        treas, tax refund, state tax refund, ftb tax refund, va benefits, dfas, defense finance, opm
        retirement, us opm, calpers, calstrs, tiaa payment, unemployment benefits, edd benefits, twc
        benefits, des unemployment, doordash dasher, dasher pay, instacart shopper, uber driver,
        lyft driver, uber payments, grubhub driver, amazon flex, upwork, fiverr, freelancer.com,
        toptal, shipt shopper, rover payout, taskrabbit payout, airbnb payout, vrbo payout, etsy
        deposit, etsy payout, ebay payout, shopify payout, stripe payout, square payout, amazon
        payments payout, youtube partner, adsense, google adsense, twitch payout, patreon payout,
        substack payout, onlyfans payout, swagbucks, rakuten cashback, ibotta, fetch rewards, dosh,
        topcashback, honey rewards, mturk, amazon mechanical turk, usertesting, respondent.io,
        survey junkie, class action settlement, hmrc, hmrc tax refund, dwp, universal credit, child
        benefit, state pension, cra deposit, canada revenue, gst credit, canada child benefit, ei
        canada, centrelink
    """,
    "Transfer": """
        venmo, zelle, cash app, cashapp, square cash, sq cash, paypal transfer, apple cash, google
        pay transfer, wise transfer, transferwise, western union, moneygram, remitly, xoom,
        worldremit, ria money transfer, revolut, monzo, starling bank, n26, chime, current card,
        varo bank, dave banking, albert savings, aspiration, one finance, chase credit crd, chase
        card, citi card, citicard, capital one, capital one mobile, american express, amex, amex
        epayment, discover card, discover bank, synchrony, synchrony bank, barclaycard, barclays,
        ally financial, marcus by goldman, goldman sachs, apple card, gs bank, usaa transfer,
        fidelity, fidelity investments, charles schwab, schwab, vanguard, e*trade, etrade, td
        ameritrade, merrill lynch, merrill edge, morgan stanley, edward jones, ameriprise, raymond
        james, lpl financial, interactive brokers, ibkr, robinhood, webull, public.com, sofi invest,
        acorns, stash invest, betterment, wealthfront, m1 finance, ellevest, fundrise, masterworks,
        coinbase, kraken, gemini, binance, binance.us, crypto.com, bitpay, cash app bitcoin, strike
        bitcoin, river financial, swan bitcoin, blockfi, nexo, affirm, klarna, afterpay, sezzle, zip
        pay, quadpay, splitit, paypal credit, paypal pay in 4, apple pay later, uplift, katapult,
        perpay, nelnet, navient, mohela, great lakes, aidvantage, edfinancial, fedloan, sallie mae,
        earnest loans, commonbond, laurel road, citizens student loan, college ave, discover student
        loans, ascent funding, toyota financial, toyota motor credit, honda financial, american
        honda finance, ford credit, ford motor credit, gm financial, nissan motor acceptance, nmac,
        hyundai motor finance, kia motors finance, kia finance, bmw financial, mercedes-benz
        financial, volkswagen credit, vw credit, audi financial, subaru motors finance, mazda
        financial, tesla finance, lexus financial, infiniti financial, santander consumer, chrysler
        capital, westlake financial, credit acceptance, exeter finance, carvana finance, drivetime,
        bridgecrest, capital one auto, ally auto, upstart, lendingclub, lending club, prosper loans,
        best egg, avant loans, oportun, onemain, one main financial, mariner finance, world finance,
        regional finance, lendmark, happy money, payoff loan, upgrade loan, upgrade card, mission
        lane, credit one, credit one bank, merrick bank, milestone card, indigo card, petal card,
        tally, self lender, self financial, kikoff, chime credit builder, brigit, earnin, moneylion,
        cleo ai, klover, possible finance, empower finance, hargreaves lansdown, vanguard uk, aj
        bell, trading 212, freetrade, nutmeg, moneybox, plum savings, chip savings, questrade,
        wealthsimple
    """,
    "Bank": """
        chase, jpmorgan chase, bank of america, bofa, wells fargo, citibank, us bank, usbank, pnc
        bank, truist, suntrust, bb&t, td bank, regions bank, fifth third, huntington, keybank, key
        bank, citizens bank, m&t bank, santander bank, bmo harris, bmo, comerica, zions bank, first
        horizon, frost bank, ally bank, navy federal, penfed, usaa, alliant credit union, becu,
        schoolsfirst, golden 1, star one, patelco, first tech, boeing employees, suncoast credit
        union, state employees credit union, secu, digital federal, dcu, mountain america, america
        first credit union, randolph brooks, security service, sofi, lloyds bank, halifax, hsbc,
        natwest, rbs, santander uk, nationwide building society, tsb bank, metro bank, first direct,
        barclays bank, virgin money, coventry building society, yorkshire building society, deutsche
        bank, commerzbank, sparkasse, volksbank, ing bank, ing diba, abn amro, rabobank, bnp
        paribas, societe generale, credit agricole, la banque postale, bbva, caixabank, bankinter,
        unicredit, intesa sanpaolo, kbc, belfius, rbc, royal bank of canada, td canada trust,
        scotiabank, cibc, desjardins, simplii, commonwealth bank, westpac, anz, nab
    """,
    "Fees": """
        overdraft fee, nsf fee, monthly maintenance fee, service charge fee, atm surcharge, foreign
        transaction fee, wire transfer fee, stop payment fee, returned item fee, late fee, annual
        membership fee, card replacement fee, paper statement fee, cash advance fee, balance
        transfer fee, excess withdrawal fee, account closing fee, dormant account fee, research fee,
        check printing fee, cashier's check fee, money order fee, expedited delivery fee,
        non-network atm, out of network atm
    """,
    "Insurance": """
        state farm, geico, progressive, progressive ins, allstate, liberty mutual, farmers ins,
        farmers insurance, nationwide, nationwide ins, travelers, travelers ins, american family,
        amfam, erie insurance, erie ins, esurance, root insurance, metromile, hippo insurance, kin
        insurance, safeco, mercury insurance, kemper, direct auto, bristol west, dairyland, infinity
        insurance, national general, plymouth rock, amica, auto-owners, auto owners, hanover
        insurance, chubb, aig, the hartford, hartford ins, cincinnati insurance, west bend, country
        financial, farm bureau, shelter insurance, grange insurance, westfield ins, usaa p&c, usaa
        ins, usaa insurance, clearcover, branch insurance, metlife, prudential, new york life,
        northwestern mutual, massmutual, mass mutual, lincoln financial, principal financial,
        pacific life, transamerica, guardian life, mutual of omaha, globe life, primerica, banner
        life, protective life, john hancock, brighthouse, jackson national, aflac, colonial life,
        unum, symetra, securian, penn mutual, ohio national, haven life, ladder life, policygenius,
        bestow life, fabric life, ethos life, aetna, cigna, unitedhealthcare, united healthcare,
        uhc, humana, anthem, elevance, blue cross, blue shield, bcbs, blue cross blue shield,
        highmark, independence blue cross, premera, regence, carefirst, florida blue, horizon bcbs,
        wellmark, excellus, emblemhealth, healthfirst, fidelis care, molina healthcare, centene,
        ambetter, wellcare, oscar health, bright health, clover health, devoted health, alignment
        health, kaiser health plan, health net, tufts health, harvard pilgrim, point32health,
        priority health, medica, healthpartners, geisinger health plan, delta dental, guardian
        dental, vsp, vsp vision, eyemed, davis vision, metlife dental, spot pet insurance,
        trupanion, healthy paws, nationwide pet, embrace pet, petplan, lemonade pet, figo pet, pets
        best, aspca pet, assurant, asurion, allianz, allianz travel, axa, aviva, generali,
        huk-coburg, debeka, admiral, direct line, churchill insurance, hastings direct, lv=, legal &
        general, royal london, aviva life, sainsbury's bank insurance, esure, swinton insurance,
        more than insurance, co-op insurance, intact insurance, desjardins insurance, sun life,
        manulife, canada life, great-west life, squaretrade, akko, upsie, extend protection, route
        protection, onsurity, american home shield, choice home warranty, first american home
        warranty, cinch home services, select home warranty, frontdoor, endurance warranty,
        carshield, olive warranty, chase auto protect, lemonade insurance, lemonade ins, zurich
        insurance, the general auto
    """,
    "Travel": """
        delta air lines, delta airlines, delta air, american airlines, american air, united
        airlines, united air, southwest airlines, southwest air, southwes, jetblue, jet blue, alaska
        airlines, alaska air, spirit airlines, spirit air, frontier airlines, frontier air,
        allegiant, allegiant air, sun country, hawaiian airlines, breeze airways, avelo airlines,
        air canada, westjet, porter airlines, aeromexico, volaris, viva aerobus, copa airlines,
        avianca, latam, british airways, virgin atlantic, easyjet, ryanair, wizz air, jet2, tui
        airways, lufthansa, air france, klm, iberia, vueling, aer lingus, tap air portugal, swiss
        air, swiss international, austrian airlines, brussels airlines, sas airlines, scandinavian
        airlines, norwegian air, finnair, ita airways, alitalia, turkish airlines, pegasus airlines,
        emirates, etihad, qatar airways, saudia, el al, singapore airlines, cathay pacific, japan
        airlines, ana airways, all nippon, korean air, asiana, eva air, china airlines, air china,
        china southern, qantas, virgin australia, air new zealand, air india, philippine airlines,
        thai airways, eurowings, condor, icelandair, play airlines, aeroflot, marriott, courtyard
        marriott, residence inn, fairfield inn, springhill suites, towneplace suites, ritz-carlton,
        ritz carlton, sheraton, westin, w hotels, st. regis, le meridien, aloft, element hotels,
        four points, moxy hotels, renaissance hotels, autograph collection, hilton, hilton hotels,
        hampton inn, hilton garden inn, doubletree, embassy suites, homewood suites, home2 suites,
        tru by hilton, waldorf astoria, conrad hotels, curio collection, canopy by hilton, hyatt,
        hyatt regency, grand hyatt, hyatt place, hyatt house, park hyatt, andaz, thompson hotels,
        ihg, holiday inn, holiday inn express, crowne plaza, intercontinental, kimpton, staybridge
        suites, candlewood suites, avid hotels, hotel indigo, wyndham, la quinta, days inn, super 8,
        ramada, microtel, baymont, wingate, howard johnson, travelodge, americinn, hawthorn suites,
        choice hotels, comfort inn, comfort suites, quality inn, sleep inn, clarion, cambria hotels,
        mainstay suites, econo lodge, rodeway inn, best western, radisson, country inn & suites,
        park inn, motel 6, studio 6, red roof inn, extended stay america, woodspring suites,
        sonesta, red lion, omni hotels, loews hotels, fairmont, four seasons, mandarin oriental,
        peninsula hotels, rosewood, shangri-la, accor, novotel, ibis, sofitel, mercure, pullman
        hotels, premier inn, travelodge uk, nh hotels, melia, barcelo, riu hotels, scandic,
        citizenm, generator hostels, hostelworld, selina, mgm resorts, caesars entertainment,
        airbnb, vrbo, homeaway, booking.com, booking com, expedia, hotels.com, priceline, kayak,
        orbitz, travelocity, hotwire, cheaptickets, trip.com, agoda, trivago, hopper, skyscanner,
        google flights, kiwi.com, momondo, lastminute.com, opodo, edreams, tripadvisor, viator,
        getyourguide, klook, hotel tonight, hoteltonight, sonder, vacasa, evolve vacation, turnkey
        vacation, marriott bonvoy, hertz, avis, budget rent a car, budget car rental, enterprise
        rent-a-car, enterprise rent a car, enterprise car rental, national car rental, alamo, alamo
        rent a car, thrifty, dollar rent a car, sixt, fox rent a car, payless car rental, europcar,
        advantage rent a car, ace rent a car, silvercar, turo, kyte, carnival cruise, royal
        caribbean, norwegian cruise, ncl, princess cruises, celebrity cruises, holland america, msc
        cruises, disney cruise, viking cruises, virgin voyages, oceania cruises, regent seven seas,
        cunard, p&o cruises, amtrak, brightline, acela, greyhound, flixbus, megabus, peter pan bus,
        eurostar, sncf, ouigo, deutsche bahn, db bahn, trenitalia, italo treno, renfe, ns
        international, sj rail, via rail, tsa precheck, clear secure, clearme, global entry, us
        passport, passport services, priority pass, expedia group, costco travel, aaa travel,
        liberty travel, apple vacations, funjet, sandals resorts, beaches resorts, club med,
        atlantis bahamas, great wolf, kalahari, wyndham destinations, hilton grand vacations,
        marriott vacation club, diamond resorts, bluegreen vacations, westgate resorts, holiday inn
        club, delta, southwest, enterprise rent, spirit airl
    """,
    "Education": """
        coursera, udemy, edx, khan academy, skillshare, masterclass, chegg, pearson, mcgraw hill,
        mcgraw-hill, cengage, wiley, macmillan learning, brilliant.org, codecademy, datacamp,
        pluralsight, treehouse, udacity, frontend masters, egghead, educative, zero to mastery,
        rocket languages, italki, preply, cambly, berlitz, kaplan, princeton review, magoosh,
        manhattan prep, college board, act inc, ets toefl, ets gre, gmac, lsac, aamc, nbme,
        prometric, pearson vue, wyzant, varsity tutors, kumon, sylvan learning, mathnasium,
        huntington learning, club z tutoring, tutor.com, outschool, abcmouse, abc mouse, ixl
        learning, ixl, prodigy game, adventure academy, homer learning, reading eggs, scholastic,
        time4learning, k12 inc, stride k12, connections academy, bju press, abeka, sonlight, great
        courses, wondrium, o'reilly media, oreilly media, packt, manning publications, safari books,
        blinkist, quizlet, course hero, coursehero, studocu, bartleby, numerade, photomath, mathway,
        wolfram alpha, grammarly edu, turnitin, chegg study, slader, sparknotes, cliffsnotes,
        studypool, brainly, sallie mae tuition, flywire, transact campus, cashnet, touchnet, nelnet
        campus, nelnet business solutions, tuition management, facts tuition, smart tuition,
        parchment, national student clearinghouse, common app, commonapp, fafsa, university of
        phoenix, southern new hampshire, snhu, western governors, wgu, purdue global, capella
        university, walden university, liberty university, grand canyon university, gcu, arizona
        state, asu, penn state world campus, harvard extension, stanford online, mit xpro, emeritus,
        simplilearn, great learning, upgrad, general assembly, flatiron school, app academy, hack
        reactor, springboard, thinkful, lambda school, bloomtech, le wagon, ironhack, kindercare,
        bright horizons, learning care group, la petite academy, childtime, goddard school, primrose
        school, the learning experience, tutor time, kiddie academy, cadence education, guidepost
        montessori, stratford school, code ninjas, kidcoder, idtech, id tech, lego education, steam
        academy, open university, openlearn, futurelearn, bbc bitesize, pearson uk, ucas, student
        loans company, barnes & noble, barnes and noble
    """,
    "Personal Care": """
        supercuts, great clips, sport clips, sports clips, fantastic sams, cost cutters, regis
        salon, smartstyle, first choice haircutters, hair cuttery, floyd's 99, floyds barbershop,
        roosters men's grooming, bishops cuts, drybar, blo blow dry, ulta, ulta beauty, sephora,
        sally beauty, bluemercury, mac cosmetics, bath & body works, bath and body works, lush, lush
        cosmetics, the body shop, fenty beauty, olaplex, cerave, the ordinary, deciem, dermalogica,
        kiehl's, kiehls, clinique, estee lauder, aveda, benefit cosmetics, nars, urban decay, too
        faced, tarte, morphe, colourpop, ipsy, birchbox, boxycharm, fabfitfun, dollar shave club,
        harry's razors, harrys, billie razors, manscaped, native deodorant, function of beauty,
        prose hair, madison reed, esalon, el salon, beautycounter, mary kay, rodan + fields, rodan
        and fields, nu skin, arbonne, bare minerals, it cosmetics, charlotte tilbury, rare beauty,
        drunk elephant, tatcha, paula's choice, la roche-posay, neutrogena, olay, massage envy, hand
        & stone, hand and stone, elements massage, massage heights, european wax center, wax center,
        waxing the city, benefit brow bar, the lash lounge, amazing lash, hello sunshine, sola
        salon, salon lofts, phenix salon, great clips online, planet fitness, la fitness, 24 hour
        fitness, anytime fitness, gold's gym, golds gym, equinox, crunch fitness, orangetheory,
        orange theory, f45, soulcycle, barry's bootcamp, barrys, pure barre, club pilates, corepower
        yoga, ymca, ywca, life time fitness, lifetime fitness, snap fitness, blink fitness, chuze
        fitness, eos fitness, vasa fitness, youfit, retro fitness, workout anytime, in-shape,
        9round, title boxing, rumble boxing, cyclebar, rowhouse, stretchlab, stretch lab, yogaworks,
        yoga six, yogasix, hotworx, the bar method, xponential, burn boot camp, camp gladiator, bay
        club, ucla recreation, classpass, mindbody, gympass, wellhub, peloton studio, tone house,
        solidcore, [solidcore], dry cleaning, tide cleaners, zips dry cleaners, martinizing, rinse
        laundry, poplin laundry, hello alfred, gnc, vitamin shoppe, the vitamin shoppe, vitacost,
        iherb, holland & barrett, boots, superdrug, space nk, cult beauty, lookfantastic,
        feelunique, rituals cosmetics, yves rocher, l'occitane, loccitane, kiko milano, nocibe,
        marionnaud, sephora france, flaconi, notino, toni & guy, toni and guy, rush hair, regis uk,
        pure gym, puregym, the gym group, david lloyd, virgin active, nuffield health gym, everyone
        active, better gym, anytime fitness uk, basic-fit, basic fit, mcfit, fitness first, clever
        fit, john reed, sportcity, shoppers beauty, goodlife fitness, fit4less, orangetheory canada,
        spafinder, spa finder, the woodhouse day spa, burke williams, canyon ranch, the ritz spa
    """,
    "Subscriptions": """
        netflix, nflx, hulu, disney plus, disney+, disneyplus, hbo max, hbomax, max.com, paramount+,
        paramount plus, peacock, peacocktv, apple tv+, apple tv plus, appletv, youtube premium,
        youtube tv, youtube music, google youtube, amazon prime, prime video, amazon prime video,
        amzn prime, prime membership, starz, showtime, epix, britbox, acorn tv, shudder,
        crunchyroll, funimation, discovery+, discovery plus, philo, sling tv, sling.com, directv
        stream, vidgo, frndly tv, mubi, criterion channel, curiositystream, spotify, apple music,
        pandora, tidal, deezer, siriusxm, sirius xm, amazon music, audible, audible.com, scribd,
        everand, kindle unlimited, storytel, libro.fm, apple.com/bill, apple.com bill, itunes,
        itunes.com, apple itunes, icloud, apple icloud, apple one, apple arcade, google storage,
        google one, google play, google workspace, g suite, microsoft 365, microsoft office, office
        365, msft, onedrive, xbox game pass, game pass, playstation plus, ps plus, nintendo switch
        online, ea play, dropbox, box.com, pcloud, backblaze, carbonite, idrive, sync.com, mega.nz,
        adobe, adobe creative cloud, adobe acrobat, canva, figma, evernote, todoist, trello, asana,
        monday.com, clickup, airtable, slack, zoom.us, zoom video, webex, gotomeeting, calendly,
        docusign, dropbox sign, hellosign, grammarly, lastpass, 1password, dashlane, bitwarden,
        keeper security, nordvpn, expressvpn, surfshark, private internet access, cyberghost,
        protonvpn, proton mail, proton ag, norton, norton lifelock, lifelock, mcafee, kaspersky,
        bitdefender, avast, malwarebytes, aura identity, identity guard, experian, experian credit,
        transunion, equifax, myfico, credit karma plus, openai, chatgpt, chatgpt plus, anthropic,
        claude.ai, midjourney, perplexity, github, gitlab, heroku, aws, amazon web services,
        digitalocean, linode, akamai cloud, vultr, cloudflare, vercel, netlify, render.com, fly.io,
        shopify, wp engine, mailchimp, constant contact, convertkit, substack, patreon, onlyfans,
        medium.com, medium membership, new york times, nytimes, nyt, wall street journal, wsj,
        washington post, the atlantic, the economist, new yorker, conde nast, the athletic,
        bloomberg, financial times, ft.com, barron's, la times, boston globe, chicago tribune, the
        guardian, the times, telegraph, apple news, google news, flipboard, headspace, calm.com,
        peloton, peloton app, strava, myfitnesspal, noom, ww, weight watchers, fitbit premium,
        whoop, oura ring, apple fitness, beachbody, alo moves, daily burn, tinder, bumble, hinge,
        match.com, eharmony, okcupid, plenty of fish, grindr, her app, coffee meets bagel, raya,
        twitch, twitch.tv, discord, discord nitro, reddit premium, x premium, twitter blue, linkedin
        premium, youtube red, amazon kids+, kidoodle, noggin, pbs kids, duolingo plus, super
        duolingo, ring protect, ring.com, simplisafe, adt security, arlo, nest aware, wyze, brinks
        home, cove security, life360, tile premium, chewy autoship, hellofresh, blue apron, home
        chef, factor meals, green chef, sunbasket, freshly, everyplate, dinnerly, gobble, daily
        harvest, splendid spoon, butcherbox, purple carrot, misfits subscription, barkbox, bark box,
        birchbox subscription, stitch fix, rent the runway, nuuly, trunk club, fabletics, savage x
        fenty, ipsy glam, winc, firstleaf, bespoke post, loot crate, crunchyroll premium, vimeo,
        vimeo pro, envato, shutterstock, getty images, adobe stock, istock, epidemic sound, artlist,
        soundcloud, bandcamp, distrokid, tunecore, cd baby, plex, plex pass, sling, now tv, nowtv,
        britbox uk, sky go, itvx, channel 4, eurosport, salto, rtl+, joyn, waipu, zattoo, ziggo go,
        videoland, viaplay, hbo nordic, crave tv, cbc gem, kayo, foxtel, notion labs, notion.so,
        calm.com, calm app, crave tv, linkedin learning, lynda.com, duolingo, rosetta stone, babbel,
        busuu, pimsleur
    """,
}


def _parse(text: str) -> list[str]:
    return [name.strip() for name in text.replace("\n", " ").split(",") if name.strip()]


BRANDS: dict[str, tuple[str, ...]] = {
    category: tuple(dict.fromkeys(_parse(text))) for category, text in _BRANDS.items()
}

_APOSTROPHE = re.compile(r"['’`]")
_SEPARATOR = re.compile(r"[^a-z0-9]+")
_MARKER = re.compile(r"\[(?:debit|credit)\]")


def brand_words(text: str) -> list[str]:
    """Lowercase words of a bank string for brand matching: "&" and punctuation split words,
    apostrophes vanish and digit-bearing tokens longer than three characters (store numbers,
    references) are dropped; short ones stay for names such as "7-Eleven" or "24 Hour Fitness"."""
    low = _MARKER.sub(" ", (text or "").lower())
    low = _APOSTROPHE.sub("", low)
    words = _SEPARATOR.split(low)
    return [w for w in words if w and (len(w) <= 3 or not any(ch.isdigit() for ch in w))]


def squash(words: list[str] | tuple[str, ...]) -> str:
    """The spacing-free key of words; "and" is dropped so "Bath and Body" = "Bath & Body"."""
    return "".join(w for w in words if w != "and")


def _build() -> tuple[dict[str, str], int, frozenset[str]]:
    lookup: dict[str, str] = {}
    firsts: set[str] = set()
    longest = 1
    for category, names in BRANDS.items():
        for name in names:
            words = brand_words(mask_digits(name))  # bank strings are matched masked too
            key = squash(words)
            # two-letter keys ("bp", "ee") would fire inside too many unrelated strings; "H&M"
            # and "B&Q" are kept because the ampersand makes them distinctive in a bank string
            if len(key) < 3 and not (len(key) == 2 and "&" in name):
                continue
            # the first category listed for a name wins (a name listed twice is a mistake)
            lookup.setdefault(key, category)
            firsts.add(words[0])
            longest = max(longest, len(words))
    return lookup, longest, frozenset(firsts)


# _FIRST_WORDS: the words a listed multi-word name starts with; a longer span is only looked up
# from one of them, which keeps matching cheap (single words are always looked up)
_LOOKUP, _MAX_WORDS, _FIRST_WORDS = _build()


def brand_key_count() -> int:
    """How many distinct brand keys the lexicon matches (for tests and documentation)."""
    return len(_LOOKUP)


@lru_cache(maxsize=131072)
def _brand_categories(joined: str) -> tuple[str, ...]:
    words = joined.split()
    taken = [False] * len(words)
    found: list[str] = []
    # longest span first, so "American Express" is a card issuer and not the "Express" retailer
    for size in range(min(_MAX_WORDS + 1, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            if (size > 1 and words[i] not in _FIRST_WORDS) or any(taken[i : i + size]):
                continue
            category = _LOOKUP.get(squash(words[i : i + size]))
            if category is not None:
                found.append(category)
                for j in range(i, i + size):
                    taken[j] = True
    return tuple(dict.fromkeys(found))


def brand_categories(text: str) -> tuple[str, ...]:
    """Categories of the known brands named in a bank string, longest match first."""
    return _brand_categories(" ".join(brand_words(mask_digits(text))))


def brand_tokens(text: str) -> tuple[str, ...]:
    """Feature tokens such as "brand_groceries" for the brands named in a bank string."""
    return tuple("brand_" + c.lower().replace(" ", "_") for c in brand_categories(text))
